/* Nurse console behaviour: the queue refreshes itself, and the Print button logs the print.
 * Patient text is only ever put into the page with textContent: never parsed as HTML. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* Mirrors templates/console/_queue_row.html. */
  function queueRow(row) {
    var urgency = row.urgency || "none";
    var tr = el("tr", "queue-row urgency-" + urgency + (row.handoff_requested ? " row-handoff" : ""));
    tr.dataset.id = String(row.id);
    tr.dataset.urgency = urgency;

    var cell = el("td", "col-urgency");
    cell.appendChild(el("span", "badge badge-" + urgency, row.urgency_label));
    if (row.handoff_requested) { cell.appendChild(el("span", "flag flag-handoff", "Asked for a person")); }
    tr.appendChild(cell);

    cell = el("td", "col-patient");
    var link = el("a", "patient-link", row.patient_name || "Name not given yet");
    link.href = row.url;
    cell.appendChild(link);
    var sub = el("span", "sub", row.age_years !== null && row.age_years !== undefined ? row.age_years + " years · " : "");
    sub.appendChild(el("span", "conversation-id", row.conversation_id));
    cell.appendChild(sub);
    tr.appendChild(cell);

    tr.appendChild(el("td", "col-phone", row.phone || "—"));

    cell = el("td", "col-waiting", row.waiting);
    cell.appendChild(el("span", "sub", "since " + row.started_local));
    tr.appendChild(cell);

    cell = el("td", "col-reasons");
    var list = el("ul", "reasons");
    row.reasons.slice(0, 3).forEach(function (reason) { list.appendChild(el("li", "", reason.text)); });
    if (row.reasons.length > 3) { list.appendChild(el("li", "more", "and " + (row.reasons.length - 3) + " more")); }
    cell.appendChild(list);
    tr.appendChild(cell);

    tr.appendChild(el("td", "col-clinics", row.clinic_labels.join(", ")));
    tr.appendChild(el("td", "col-status", row.status_label));
    cell = el("td", "col-state", row.state_label);
    if (row.state_changed_by) { cell.appendChild(el("span", "sub", "by " + row.state_changed_by)); }
    tr.appendChild(cell);
    return tr;
  }

  function emptyRow() {
    var tr = el("tr", "empty-row");
    var td = el("td", "", "No intakes match these filters.");
    td.colSpan = 8;
    tr.appendChild(td);
    return tr;
  }

  function renderHandoff(rows, handoffIds) {
    var strip = document.getElementById("handoff-strip");
    var list = document.getElementById("handoff-list");
    if (!strip || !list) { return; }
    var wanted = rows.filter(function (row) { return handoffIds.indexOf(row.id) !== -1; });
    list.replaceChildren.apply(list, wanted.map(function (row) {
      var li = el("li");
      var a = el("a", "", row.patient_name || "Name not given yet");
      a.href = row.url;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" — waiting " + row.waiting));
      return li;
    }));
    strip.hidden = wanted.length === 0;
  }

  function countText(total, shown) {
    var text = total + (total === 1 ? " intake" : " intakes");
    return total > shown ? text + ", showing the first " + shown : text;
  }

  function startQueueRefresh(table) {
    var body = document.getElementById("queue-body");
    var live = document.getElementById("queue-live");
    var count = document.getElementById("queue-count");
    var url = table.dataset.pollUrl;
    var every = (parseInt(table.dataset.pollSeconds, 10) || 5) * 1000;
    var known = new Set(Array.prototype.map.call(body.querySelectorAll("tr[data-id]"),
                                                 function (tr) { return tr.dataset.id; }));
    var lastShown = null;
    var timer = null;

    function apply(data) {
      var shown = JSON.stringify(data.intakes) + JSON.stringify(data.handoff);
      if (shown === lastShown) { return; }
      lastShown = shown;
      var focused = document.activeElement && body.contains(document.activeElement)
        ? document.activeElement.getAttribute("href") : null;
      var fresh = data.intakes.filter(function (row) { return !known.has(String(row.id)); });
      var rows = data.intakes.map(queueRow);
      body.replaceChildren.apply(body, rows.length ? rows : [emptyRow()]);
      fresh.forEach(function (row) {
        var tr = body.querySelector('tr[data-id="' + row.id + '"]');
        if (tr) { tr.classList.add("row-new"); }
      });
      known = new Set(data.intakes.map(function (row) { return String(row.id); }));
      renderHandoff(data.intakes, data.handoff);
      if (count) { count.textContent = countText(data.total, data.intakes.length); }
      if (fresh.length) {
        live.textContent = fresh.length + (fresh.length === 1 ? " new intake" : " new intakes");
      }
      table.dataset.refreshed = String((parseInt(table.dataset.refreshed, 10) || 0) + 1);
      if (focused) {
        var again = body.querySelector('a[href="' + focused + '"]');
        if (again) { again.focus(); }
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (response.status === 401) {
            live.textContent = "You were signed out. Reload the page to sign in again.";
            return null;
          }
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          if (data === null) { return; }
          apply(data);
          timer = window.setTimeout(poll, every);
        })
        .catch(function () {
          live.textContent = "The queue could not be refreshed; trying again.";
          timer = window.setTimeout(poll, every * 2);
        });
    }
    timer = window.setTimeout(poll, every);
    return function stop() { window.clearTimeout(timer); };
  }

  function setUpPrintButton(button) {
    var token = document.querySelector('meta[name="csrf-token"]');
    button.addEventListener("click", function () {
      fetch(button.dataset.logUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.content : "" }
      }).catch(function () { /* printing still works; the server logs what it can */ })
        .then(function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("queue-table");
    if (table && table.dataset.pollUrl) { startQueueRefresh(table); }
    var printButton = document.getElementById("print-button");
    if (printButton) { setUpPrintButton(printButton); }
  });
}());
