// BioQL playground: generate code with the API, then run its quantum() calls server-side.
"use strict";

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = "bioql.apiKey";

// Exact to the nano-dollar (the ledger's unit), without trailing zeros: $0.000000471, $10.00.
function usd(value) {
  const text = Number(value).toFixed(9).replace(/0+$/, "");
  const [whole, fraction = ""] = text.split(".");
  return "$" + whole + "." + fraction.padEnd(2, "0");
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function post(path, body) {
  const key = $("api-key").value.trim();
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + key },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(data.detail || `HTTP ${response.status}`);
  }
  return data;
}

async function generate() {
  const prompt = $("prompt").value.trim();
  if (!prompt) {
    setStatus("Type what the program should do first.", true);
    return;
  }
  localStorage.setItem(KEY_STORAGE, $("api-key").value.trim());
  $("generate").disabled = true;
  setStatus("Generating…");
  try {
    const data = await post("/v1/generate", {
      prompt,
      include_reasoning: $("include-reasoning").checked,
    });
    showAnswer(data);
    setStatus(`Done in ${data.timing.total_seconds.toFixed(3)} s.`);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    $("generate").disabled = false;
  }
}

function showAnswer(data) {
  $("result").hidden = false;
  $("runs").hidden = true;
  $("code").textContent = data.code;
  const readings = data.interpreted_as || [];
  $("interpreted").textContent = readings.length ? `Interpreted as: ${readings.join(" · ")}` : "";
  $("model").textContent = `${data.model} · ${data.source}`;
  $("reasoning").textContent = data.reasoning || "(not requested)";
  $("user-cost").textContent = usd(data.cost.user_cost_usd);
  $("base-cost").textContent = `${usd(data.cost.base_cost_usd)} (profit ${usd(data.cost.profit_usd)})`;
  $("markup").textContent = `${data.cost.markup_percent}% markup = ${data.cost.margin_percent}% margin`;
  $("timing").textContent = `${data.timing.generation_seconds.toFixed(3)} s generation`;
  $("balance").textContent = usd(data.user.balance);
}

async function run() {
  $("run").disabled = true;
  setStatus("Running on the local simulator…");
  try {
    const data = await post("/v1/run", { code: $("code").textContent });
    showRuns(data);
    setStatus(`Ran ${data.runs.length} circuit(s).`);
  } catch (error) {
    setStatus(error.message, true);
  } finally {
    $("run").disabled = false;
  }
}

function showRuns(data) {
  const box = $("histograms");
  box.replaceChildren();
  for (const item of data.runs) {
    const figure = document.createElement("figure");
    figure.className = "histogram";
    const caption = document.createElement("figcaption");
    caption.textContent = `line ${item.line}: "${item.description}" · ${item.shots} shots` +
      (item.note ? ` · ${item.note}` : "");
    figure.append(caption);
    if (item.error) {
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = item.error;
      figure.append(p);
    } else {
      if (item.reading) {
        const p = document.createElement("p");
        p.className = "interpreted";
        p.textContent = `Interpreted as: ${item.reading}`;
        figure.append(p);
      }
      figure.append(histogram(item.counts));
      if (item.interpretation) {
        const p = document.createElement("p");
        p.textContent = item.interpretation;
        figure.append(p);
      }
    }
    box.append(figure);
  }
  for (const skip of data.skipped) {
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = `line ${skip.line} skipped: ${skip.reason}`;
    box.append(p);
  }
  $("runs").hidden = false;
}

// An SVG bar chart: one bar per outcome, sorted by bitstring, labelled with its count.
function histogram(counts) {
  const ns = "http://www.w3.org/2000/svg";
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).slice(0, 64);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const width = 760, height = 220, bottom = 30, top = 18;
  const step = width / Math.max(entries.length, 1);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  entries.forEach(([bits, n], i) => {
    const h = ((height - bottom - top) * n) / max;
    const x = i * step + step * 0.15;
    const bar = document.createElementNS(ns, "rect");
    bar.setAttribute("class", "bar");
    bar.setAttribute("x", x);
    bar.setAttribute("y", height - bottom - h);
    bar.setAttribute("width", step * 0.7);
    bar.setAttribute("height", h);
    bar.dataset.outcome = bits;
    bar.dataset.count = n;
    const title = document.createElementNS(ns, "title");
    title.textContent = `${bits}: ${n}`;
    bar.append(title);
    svg.append(bar, label(ns, x + step * 0.35, height - 10, bits),
      label(ns, x + step * 0.35, height - bottom - h - 4, String(n)));
  });
  return svg;
}

function label(ns, x, y, text) {
  const node = document.createElementNS(ns, "text");
  node.setAttribute("x", x);
  node.setAttribute("y", y);
  node.setAttribute("text-anchor", "middle");
  node.textContent = text;
  return node;
}

$("api-key").value = localStorage.getItem(KEY_STORAGE) || "";
$("generate").addEventListener("click", generate);
$("run").addEventListener("click", run);
$("prompt").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) generate();
});
