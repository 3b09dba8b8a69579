// The operations page: signs an administrator in through POST /v1/auth/token, keeps the token in sessionStorage
// (gone when the tab closes) and reads the admin routes with it. Every number on the page comes from the API.
import { drawSalesChart } from "./sales-chart.js";
import { formatCount, formatMoment, formatMoney, formatShare } from "./format.js";

const TOKEN = "firstviscount.ops.token";
const EMAIL = "firstviscount.ops.email";
const REFRESH_EVERY_MS = 30_000;
const HOUR_MS = 3_600_000;
const byId = id => document.getElementById(id);

/** The token is missing, expired or no longer valid (401). */
class SignedOut extends Error {}

/** The token is valid but not an administrator's (403). */
class Refused extends Error {}

async function problemText(response) {
  try {
    const problem = await response.json();
    return problem.detail ?? problem.title ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json", Authorization: `Bearer ${sessionStorage.getItem(TOKEN)}` } });
  if (response.status === 401) {
    throw new SignedOut();
  }
  if (response.status === 403) {
    throw new Refused();
  }
  if (!response.ok) {
    throw new Error(await problemText(response));
  }
  return response.json();
}

function show(view) {
  for (const id of ["sign-in", "refused", "board"]) {
    byId(id).hidden = id !== view;
  }
  byId("session").hidden = view === "sign-in";
  byId("board-controls").hidden = view !== "board";
  byId("signed-in-as").textContent = sessionStorage.getItem(EMAIL) ?? "";
}

let dashboardSessionFor = null;

/** Trades the admin's token for the cookie the Orleans dashboard reads (a link cannot send a bearer header). */
async function openDashboardSession() {
  const token = sessionStorage.getItem(TOKEN);
  if (dashboardSessionFor === token) {
    return;
  }
  const response = await fetch("/ops/dashboard-session", { method: "POST", headers: { Authorization: `Bearer ${token}` } });
  dashboardSessionFor = response.ok ? token : null;
  byId("dashboard-link").hidden = !response.ok; // shown once the cookie is there, so the link always opens
}

function signOut(message = "") {
  dashboardSessionFor = null;
  byId("dashboard-link").hidden = true;
  fetch("/ops/dashboard-session", { method: "DELETE" });
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(EMAIL);
  byId("sign-in-error").textContent = message;
  show("sign-in");
}

async function signIn(form) {
  const email = form.elements.email.value;
  const response = await fetch("/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: form.elements.password.value }),
  });
  if (!response.ok) {
    byId("sign-in-error").textContent = response.status === 401 ? "That e-mail and password do not match an account." : await problemText(response);
    return;
  }
  const { accessToken } = await response.json();
  sessionStorage.setItem(TOKEN, accessToken);
  sessionStorage.setItem(EMAIL, email);
  form.reset();
  byId("sign-in-error").textContent = "";
  await refresh();
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

function fillTable(sectionId, rows, emptyText) {
  const body = document.querySelector(`#${sectionId} tbody`);
  body.replaceChildren(...rows.map(cells => {
    const tr = document.createElement("tr");
    tr.append(...cells);
    return tr;
  }));
  return rows.length === 0 ? emptyText : "";
}

/** The chosen range, in whole hours up to the end of the current hour: [from, to). */
function range() {
  const to = new Date(Math.ceil((Date.now() + 1) / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - Number(byId("range").value) * HOUR_MS);
  return `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
}

/** Each section's loader: (the range's query string, the cluster already read to check the caller is an admin). */
const sections = {
  async sales(query) {
    const buckets = await api(`/v1/analytics/sales?interval=hour&${query}`);
    drawSalesChart(byId("sales-chart"), buckets);
    const total = field => buckets.reduce((sum, bucket) => sum + Number(bucket[field]), 0);
    const summary = byId("sales-summary");
    summary.replaceChildren();
    for (const [id, value, label] of [["sales-orders", formatCount(total("orders")), " orders · "], ["sales-units", formatCount(total("units")), " units · "], ["sales-revenue", formatMoney(total("revenue")), " revenue"]]) {
      const number = document.createElement("strong");
      number.id = id;
      number.textContent = value;
      summary.append(number, label);
    }
    return total("orders") === 0 ? "No confirmed sales in this range." : "";
  },

  async "top-products"(query) {
    const products = await api(`/v1/analytics/top-products?limit=10&${query}`);
    return fillTable("top-products", products.map(p => [cell(p.sku), cell(formatCount(p.units), "number"), cell(formatMoney(p.revenue), "number")]),
      "No confirmed sales in this range.");
  },

  async funnel(query) {
    const funnel = await api(`/v1/analytics/funnel?${query}`);
    const ended = funnel.ordersConfirmed + funnel.ordersCancelled + funnel.ordersFailed;
    for (const td of document.querySelectorAll("#funnel [data-field], #outcomes [data-field]")) {
      td.textContent = formatCount(funnel[td.dataset.field]);
    }
    for (const td of document.querySelectorAll("#outcomes [data-share]")) {
      td.textContent = formatShare(funnel[td.dataset.share], ended);
    }
    byId("outcomes-empty").textContent = ended === 0 ? "No checkout ended in this range." : "";
    return "";
  },

  async alerts() {
    const alerts = await api("/v1/inventory/alerts");
    return fillTable("alerts", alerts.map(a => [cell(a.sku), cell(formatCount(a.available), "number"), cell(formatCount(a.reorderPoint), "number"), cell(formatMoment(a.since))]),
      "No SKU is at or below its reorder point.");
  },

  async silos(_, cluster) {
    byId("cluster-id").textContent = `Cluster ${cluster.clusterId}: ${cluster.silos.length} silo${cluster.silos.length === 1 ? "" : "s"}`;
    return fillTable("silos", cluster.silos.map(s => [cell(s.address), cell(s.status), cell(s.activations === null ? "–" : formatCount(s.activations), "number"), cell(formatMoment(s.startedAt))]),
      "No silo is active.");
  },

  async freshness() {
    const freshness = await api("/v1/analytics/freshness");
    return freshness.lagEvents === 0
      ? "Analytics are up to date with the event log."
      : `Analytics are ${formatCount(freshness.lagEvents)} events (${freshness.lagSeconds.toFixed(1)} s) behind the event log.`;
  },
};

/** Empties what a section shows (the funnel's figures are under both the funnel and the outcomes). */
function clearSection(section) {
  const shown = section === "funnel" ? ["#funnel", "#outcomes"] : [`#${section}`];
  for (const root of shown) {
    document.querySelectorAll(`${root} tbody:not(:has([data-field])), ${root} svg, ${root} .summary`).forEach(node => node.replaceChildren());
    document.querySelectorAll(`${root} [data-field], ${root} [data-share]`).forEach(cell => { cell.textContent = "–"; });
  }
}

/** Writes a section's status line (the funnel's shows under both the funnel and the outcomes). */
function setStatus(section, text, isError = false) {
  for (const status of document.querySelectorAll(`.status[data-for="${section}"]`)) {
    status.textContent = text;
    status.classList.toggle("error", isError);
  }
}

let refreshing = false;

/** Reloads every section; one that fails says why in its place, the others still show. */
async function refresh() {
  if (refreshing) {
    return;
  }
  refreshing = true;
  try {
    const cluster = await api("/v1/admin/cluster"); // a customer's token stops here, before any section is shown
    show("board");
    await openDashboardSession();
    const query = range();
    const results = await Promise.allSettled(Object.entries(sections).map(async ([name, load]) => {
      try {
        setStatus(name, await load(query, cluster));
      } catch (error) {
        if (error instanceof SignedOut || error instanceof Refused) {
          throw error;
        }
        clearSection(name); // no figures from an earlier refresh next to the error
        setStatus(name, error.message, true);
      }
    }));
    const stop = results.find(result => result.status === "rejected");
    if (stop) {
      throw stop.reason;
    }
    document.body.dataset.loadedAt = new Date().toISOString();
  } catch (error) {
    if (error instanceof SignedOut) {
      signOut("Your session has ended: sign in again.");
    } else if (error instanceof Refused) {
      byId("refused-message").textContent =
        `${sessionStorage.getItem(EMAIL) ?? "This account"} is not an administrator. This page shows the shop's sales and operations to administrators only.`;
      show("refused");
    } else {
      show("board"); // the gateway could not be reached or failed: say so where the silos would be
      setStatus("silos", error.message, true);
    }
  } finally {
    refreshing = false;
  }
}

byId("sign-in-form").addEventListener("submit", event => {
  event.preventDefault();
  signIn(event.target);
});
byId("sign-out").addEventListener("click", () => signOut());
byId("refresh").addEventListener("click", refresh);
byId("range").addEventListener("change", refresh);
setInterval(() => {
  if (!byId("board").hidden) {
    refresh();
  }
}, REFRESH_EVERY_MS);

if (sessionStorage.getItem(TOKEN)) {
  refresh();
} else {
  show("sign-in");
}
