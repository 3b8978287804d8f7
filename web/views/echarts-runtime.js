// @ts-check
/**
 * The parts of ECharts the page draws with (canvas renderer). Loaded on demand, so the first
 * visit (the drop zone) does not wait for the chart library.
 */
import { ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
