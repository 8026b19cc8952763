// The radar chart and its coordinate system: loaded only by the charts that draw one (charts.tsx, `parts`).
import { RadarChart } from 'echarts/charts';
import { RadarComponent } from 'echarts/components';
import * as echarts from 'echarts/core';

echarts.use([RadarChart, RadarComponent]);
