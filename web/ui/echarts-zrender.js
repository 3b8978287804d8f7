// @ts-check
/**
 * zrender, ECharts' drawing layer, loaded (and its modules evaluated) in a task before the rest
 * of ECharts (web/ui/chart-queue.js): evaluating the whole library at once was a long task.
 * The exports only keep the modules in this chunk; nothing uses them from here.
 */
export { init } from 'zrender/lib/zrender.js';
export { default as CanvasPainter } from 'zrender/lib/canvas/Painter.js';
export { default as Text } from 'zrender/lib/graphic/Text.js';
export { default as Path } from 'zrender/lib/graphic/Path.js';
export { default as Group } from 'zrender/lib/graphic/Group.js';
