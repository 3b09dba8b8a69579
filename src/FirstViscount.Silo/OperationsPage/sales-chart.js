// Draws revenue per hour as an SVG bar chart: one bar per bucket of GET /v1/analytics/sales?interval=hour, its
// height proportional to the bucket's revenue, over a y axis with round steps.
import { formatMoney } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 960;
const HEIGHT = 260;
const MARGIN = { top: 10, right: 8, bottom: 26, left: 64 };
const Y_STEPS = 4;
const MAX_X_LABELS = 12;

function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

// The smallest 1, 2 or 5 times a power of ten that, taken Y_STEPS times, reaches max.
function roundStep(max) {
  if (max <= 0) {
    return 1;
  }
  const rough = max / Y_STEPS;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map(factor => factor * magnitude).find(step => step >= rough);
}

function hourLabel(moment, withDay) {
  const options = withDay ? { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(undefined, options).format(moment);
}

export function drawSalesChart(svg, buckets) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = roundStep(Math.max(0, ...buckets.map(bucket => Number(bucket.revenue))));
  const top = step * Y_STEPS;
  const y = revenue => MARGIN.top + plotHeight - (revenue / top) * plotHeight;

  for (let i = 0; i <= Y_STEPS; i++) {
    const value = step * i;
    svg.append(element("line", { class: "grid", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value) }));
    svg.append(element("text", { x: MARGIN.left - 6, y: y(value) + 4, "text-anchor": "end" }, formatMoney(value)));
  }

  const slot = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(1, slot * 0.8);
  const withDay = buckets.length > 24;
  const labelEvery = Math.ceil(buckets.length / MAX_X_LABELS);
  buckets.forEach((bucket, index) => {
    const revenue = Number(bucket.revenue);
    const moment = new Date(bucket.bucket);
    const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
    const bar = element("rect", {
      class: "bar", x, width: barWidth, y: y(revenue), height: y(0) - y(revenue),
      "data-bucket": bucket.bucket, "data-orders": bucket.orders, "data-units": bucket.units, "data-revenue": formatMoney(revenue),
    });
    bar.append(element("title", {}, `${hourLabel(moment, withDay)}: ${bucket.orders} orders, ${bucket.units} units, ${formatMoney(revenue)}`));
    svg.append(bar);
    if (index % labelEvery === 0) {
      svg.append(element("text", { x: x + barWidth / 2, y: HEIGHT - 8, "text-anchor": "middle" }, hourLabel(moment, withDay)));
    }
  });
  svg.append(element("line", { class: "axis", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(0), y2: y(0) }));
}
