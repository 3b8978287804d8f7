// @ts-check
/**
 * The core of ECharts the page draws with (zrender, the canvas renderer). Loaded on demand, so the
 * first visit (the drop zone) does not wait for the chart library; the components
 * (echarts-components.js) and chart types (echarts-charts.js) follow in modules of their own, so
 * that evaluating the library is three shorter tasks, not one long one (web/ui/chart-queue.js).
 */
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([CanvasRenderer]);

export { echarts };
