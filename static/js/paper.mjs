// Sitting a paper: save each answer the moment it is chosen, and count the clock down.
// The page works without this script (its form saves on "Save and go to..."); the server
// keeps the clock, so this only shows it and reloads the page when it runs out.

const form = document.querySelector("form[data-autosave]");
const clock = document.getElementById("exam-clock");

// One page, one key: a retry sends the same sequence again (the server takes it once), and a
// late, older save from this page never overwrites a newer one. The key is made afresh for
// each page (not kept in sessionStorage): a duplicated tab inherits sessionStorage, and two
// tabs sharing a key would have their answers ordered by when each page was loaded, so an
// answer chosen last could be dropped. With a key each, the answer that arrives last stands.
const tab = (() => {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return "tab-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
})();
let sequence = 0;

function words(seconds) {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts = [];
  if (hours) parts.push(`${hours} hour${hours === 1 ? "" : "s"}`);
  if (!hours && seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  if (minutes || !hours) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  return parts.join(" ");
}

if (clock) {
  const deadline = Date.now() + Number(clock.dataset.seconds) * 1000;
  const shown = clock.querySelector("[data-clock-words]");
  const warning = clock.querySelector("[data-clock-warning]");
  const warned = new Set();
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    shown.textContent = words(left);
    for (const mark of [600, 300, 60]) {
      if (left <= mark && !warned.has(mark)) {
        warned.add(mark);
        if (left > 0) warning.textContent = `${words(mark)} left.`;
      }
    }
    if (left <= 0) {
      // The server submits the answers as they stand; the page it sends says so.
      window.location.reload();
      return;
    }
    setTimeout(tick, 1000);
  };
  tick();
}

if (form) {
  const status = form.querySelector("[data-save-status]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const version = form.querySelector("input[name=version]").value;

  async function send(fields, attempt = 0) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("question", form.dataset.question);
    body.append("version", version);
    body.append("tab", tab);
    body.append("sequence", String(fields.sequence));
    for (const [name, value] of Object.entries(fields)) {
      if (name !== "sequence") body.append(name, value);
    }
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      const answer = await response.json();
      if (answer.saved) {
        status.textContent = "Saved.";
      } else if (answer.submitted) {
        window.location.reload();
      } else {
        status.textContent = `Not saved: ${answer.message}`;
      }
    } catch {
      // The network dropped: say so and try again with the same key (taken once).
      status.textContent = "Not saved yet: checking your connection. Your answer will be sent again.";
      const wait = Math.min(30000, 1000 * 2 ** attempt);
      setTimeout(() => send(fields, attempt + 1), wait);
    }
  }

  form.addEventListener("change", (event) => {
    const input = event.target;
    sequence += 1;
    if (input.name === "option") {
      send({ sequence, option: input.value });
    } else if (input.name === "flagged") {
      send({ sequence, flagged: input.checked ? "on" : "off" });
    }
  });
  // A form post after an autosave must not be older than it: give it the newest sequence.
  form.addEventListener("submit", () => {
    sequence += 1;
    form.querySelector("input[name=tab]").value = tab;
    form.querySelector("input[name=sequence]").value = String(sequence);
  });
}
