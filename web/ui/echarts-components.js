// @ts-check
/** The ECharts components the page uses (loaded after echarts-runtime.js, in a task of its own). */
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';

use([GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent, AriaComponent]);
