// @ts-check
/** The ECharts chart types the page draws (loaded after echarts-components.js, in a task of its own). */
import { BarChart, CustomChart, HeatmapChart, LineChart, ScatterChart, TreemapChart } from 'echarts/charts';
import { use } from 'echarts/core';

use([ScatterChart, LineChart, BarChart, CustomChart, HeatmapChart, TreemapChart]);
