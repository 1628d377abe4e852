/*
 * Wegwijs chat widget. A municipality adds one tag to its pages:
 *
 *   <script src="https://chat.gemeente.nl/widget/wegwijs.js" defer
 *           data-municipality="Voorbeeldstad" data-color="#1d4f91" data-color-text="#ffffff"></script>
 *
 * Optional: data-server (default: where this script comes from), data-text-<key> to replace a text
 * below (e.g. data-text-launcher="Vraag het Wegwijs"). Colours are hex; a pair below WCAG AA 4.5:1
 * gets black or white text instead, with a warning in the console.
 *
 * Plain modern JavaScript, no build step. Everything the bot or the resident wrote is inserted as
 * text (textContent, text nodes); links are built as <a> elements, http and https only.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || window.Wegwijs) return;

  // Texts for residents in every language, from the text catalogue (bot/catalogue/<language>/widget.yml,
  // `script`, plus the language's own name and the picker's label from language.yml): the edge puts them
  // in when it serves this file (bot/web/widget/views.py). A page may replace a Dutch text with data-text-<key>.
  const ALL_TEXTS = /*@texts*/ {} /*@end*/;
  const DEFAULT_COLOR = "#1d4f91";
  const AA_CONTRAST = 4.5;
  const FALLBACK_TIMEOUT_MS = 30000;
  const FALLBACK_MAX_LENGTH = 2000;
  // The conversation's language: chosen in the picker (or on the bot's offer), kept with the conversation.
  const DEFAULT_LANG = "nl";
  const SPEECH_LANGS = { nl: "nl-NL", en: "en-GB", tr: "tr-TR", ar: "ar", pl: "pl-PL", uk: "uk-UA" };
  const CHOOSE_LANGUAGE = /^\/choose_language\{"language": ?"([a-z]{2})"\}$/;
  // Text sizes: the widget's font size is 1rem times --ww-scale; everything inside is in em.
  const TEXT_SIZES = [
    { label: "A", name: "textNormal", scale: 1 },
    { label: "A+", name: "textLarger", scale: 1.25 },
    { label: "A++", name: "textLargest", scale: 1.5 },
  ];

  // --- colours ------------------------------------------------------------------------------
  function parseHex(value) {
    const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!match) return null;
    const hex = match[1].length === 3 ? match[1].replace(/./g, "$&$&") : match[1];
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }

  function toHex(rgb) {
    return "#" + rgb.map((v) => v.toString(16).padStart(2, "0")).join("");
  }

  function luminance(rgb) {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrastRatio(a, b) {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  /** The colour pair to use: as configured when it reaches AA, else the same background with black or white text. */
  function readableColors(background, text) {
    const bg = parseHex(background) || parseHex(DEFAULT_COLOR);
    const fg = parseHex(text);
    if (fg && contrastRatio(bg, fg) >= AA_CONTRAST) {
      return { background: toHex(bg), text: toHex(fg), corrected: false };
    }
    const white = [255, 255, 255];
    const black = [0, 0, 0];
    const better = contrastRatio(bg, white) >= contrastRatio(bg, black) ? white : black;
    console.warn("Wegwijs: text colour " + text + " on " + toHex(bg) + " is below WCAG AA 4.5:1; using " + toHex(better));
    return { background: toHex(bg), text: toHex(better), corrected: true };
  }

  // --- configuration ------------------------------------------------------------------------
  const data = script.dataset;
  const server = (data.server || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  const municipality = data.municipality || "";
  const texts = {};
  /** Fills `texts` in one language; the page's own data-text-<key> replaces a Dutch text only. */
  function loadTexts(language) {
    for (const key of Object.keys(ALL_TEXTS[language])) {
      const attribute = "text" + key.charAt(0).toUpperCase() + key.slice(1);
      const own = language === DEFAULT_LANG ? data[attribute] : null;
      texts[key] = (own || ALL_TEXTS[language][key]).replace("{municipality}", municipality);
    }
  }
  const colors = readableColors(data.color || DEFAULT_COLOR, data.colorText || "#ffffff");

  // --- state, kept per tab so the conversation survives going to another page ----------------
  const STORE_KEY = "wegwijs:" + server;
  const state = load() || { token: null, open: false, messages: [], pending: null };
  // The resident's settings, kept with the conversation in sessionStorage: read new messages aloud, text size.
  if (typeof state.readAloud !== "boolean") state.readAloud = false;
  if (!TEXT_SIZES[state.textSize]) state.textSize = 0;
  if (!ALL_TEXTS[state.language]) state.language = ALL_TEXTS[data.language] ? data.language : DEFAULT_LANG;
  loadTexts(state.language);

  // Speech synthesis is the browser's own (the operating system's voices): the text is spoken on the
  // resident's device and no audio or text goes to us or to anyone else. Without it: no buttons, no setting.
  const synth = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function"
    ? window.speechSynthesis : null;

  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORE_KEY));
      return saved && Array.isArray(saved.messages) ? saved : null;
    } catch (error) {
      return null; // no storage (private mode, sandbox): the widget still works on this page
    }
  }

  function save() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      /* see load() */
    }
  }

  function newMessageId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // also outside secure contexts, unlike crypto.randomUUID
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // --- DOM helpers ----------------------------------------------------------------------------
  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Texts of the widget's own parts, so a change of language rewrites them in place.
  const bound = [];
  /** A text node showing texts[key]. */
  function say(key) {
    const node = document.createTextNode(texts[key]);
    bound.push(() => { node.data = texts[key]; });
    return node;
  }
  /** An element whose attribute shows texts[key]. */
  function named(node, attribute, key) {
    const apply = () => node.setAttribute(attribute, texts[key]);
    apply();
    bound.push(apply);
    return node;
  }

  const LINK = /\bhttps?:\/\/[^\s<>"']+/gi;

  function appendWithLinks(parent, text) {
    let last = 0;
    for (const match of text.matchAll(LINK)) {
      const shown = match[0].replace(/[.,;:!?)\]]+$/, "");
      parent.append(document.createTextNode(text.slice(last, match.index)));
      parent.append(linkOrText(shown));
      last = match.index + shown.length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  function linkOrText(address) {
    let url = null;
    try {
      url = new URL(address);
    } catch (error) {
      return document.createTextNode(address);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return document.createTextNode(address);
    const link = el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer" }, address);
    link.append(" ", el("span", { class: "ww-sr-only" }, texts.newWindow));
    return link;
  }

  /** Bot text: lines become paragraphs, lines starting with "- " a list. */
  function renderBotText(container, text) {
    let list = null;
    for (const line of text.split("\n")) {
      const item = /^\s*[-•*]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) container.append((list = el("ul")));
        const li = el("li");
        appendWithLinks(li, item[1]);
        list.append(li);
        continue;
      }
      list = null;
      if (!line.trim()) continue;
      const paragraph = el("p");
      appendWithLinks(paragraph, line);
      container.append(paragraph);
    }
  }

  // --- the widget's parts ----------------------------------------------------------------------
  const root = el("div", { class: "ww", id: "wegwijs-widget" });
  root.hidden = true; // until its stylesheet is in
  root.style.setProperty("--ww-bg", colors.background);
  root.style.setProperty("--ww-fg", colors.text);

  const launcher = el("button", { type: "button", class: "ww-launcher", "aria-expanded": "false",
    "aria-controls": "ww-panel" });
  launcher.append(say("launcher"));
  const panel = el("section", { class: "ww-panel", id: "ww-panel", role: "dialog", "aria-labelledby": "ww-title" });
  panel.hidden = true;

  const header = el("div", { class: "ww-header" });
  const titles = el("div", { class: "ww-titles" });
  titles.append(el("h2", { id: "ww-title", class: "ww-title" }));
  titles.lastChild.append(say("title"));
  if (municipality) {
    const subtitle = el("p", { class: "ww-subtitle" });
    subtitle.append(say("subtitle"));
    titles.append(subtitle);
  }
  const restartButton = el("button", { type: "button", class: "ww-tool ww-restart" });
  restartButton.append(say("restart"));
  const closeButton = named(el("button", { type: "button", class: "ww-tool ww-close" }), "aria-label", "closeLabel");
  closeButton.append(say("close"));
  // The language picker: each language by its own name, in its own language and direction.
  const languagePicker = named(el("select", { id: "ww-language", class: "ww-language" }), "aria-label", "languagePicker");
  for (const code of Object.keys(ALL_TEXTS)) {
    const option = el("option", { value: code, lang: code, dir: direction(code) }, ALL_TEXTS[code].languageName);
    option.selected = code === state.language;
    languagePicker.append(option);
  }
  languagePicker.addEventListener("change", () => setLanguage(languagePicker.value, true));
  header.append(titles, languagePicker, restartButton, closeButton);

  const scroller = named(el("div", { class: "ww-scroller", role: "region", tabindex: "0" }), "aria-label", "conversation");
  const notice = el("p", { class: "ww-notice" });
  notice.append(say("notice"));
  // Before the first message: the privacy page, made by the server from its retention settings.
  const privacyLink = el("a", { href: server + "/privacy", target: "_blank", rel: "noopener noreferrer",
    class: "ww-privacy" });
  privacyLink.append(say("privacy"), " ", el("span", { class: "ww-sr-only" }));
  privacyLink.lastChild.append(say("newWindow"));
  notice.append(" ", privacyLink);
  const settings = named(el("div", { class: "ww-settings", role: "group" }), "aria-label", "settings");
  const sizeGroup = named(el("div", { class: "ww-sizes", role: "group" }), "aria-label", "textSize");
  const sizeButtons = TEXT_SIZES.map((size, index) => {
    // Name "A+ Grotere tekst": it starts with what is shown (WCAG 2.5.3, label in name, for voice control).
    const button = el("button", { type: "button", class: "ww-size", "aria-pressed": "false" }, size.label);
    button.append(el("span", { class: "ww-sr-only" }, " "));
    button.lastChild.append(say(size.name));
    button.addEventListener("click", () => setTextSize(index));
    sizeGroup.append(button);
    return button;
  });
  settings.append(sizeGroup);
  const readAloudBox = el("input", { type: "checkbox", id: "ww-read-aloud", class: "ww-check" });
  if (synth) {
    const readAloudLabel = el("label", { for: "ww-read-aloud", class: "ww-check-label" });
    readAloudLabel.append(readAloudBox, " ", say("readAloudNew"));
    readAloudBox.checked = state.readAloud;
    readAloudBox.addEventListener("change", () => {
      state.readAloud = readAloudBox.checked;
      if (!state.readAloud) synth.cancel();
      save();
    });
    settings.append(readAloudLabel);
  }
  const log = el("ol", { class: "ww-log" });
  const typing = el("li", { class: "ww-typing" });
  typing.append(el("span", { class: "ww-dot", "aria-hidden": "true" }), el("span", { class: "ww-dot", "aria-hidden": "true" }),
    el("span", { class: "ww-dot", "aria-hidden": "true" }), el("span", { class: "ww-sr-only" }));
  typing.lastChild.append(say("typing"));

  // Only new messages go here, so a screen reader reads each reply once and never the whole history.
  const live = el("div", { class: "ww-sr-only ww-live", "aria-live": "polite" });

  // Inside the scrolling part, so even at 400% zoom an error never pushes the text box off the screen.
  const errorBox = el("div", { class: "ww-error", role: "alert" });
  errorBox.hidden = true;
  const errorText = el("p", { class: "ww-error-text" });
  const retryButton = el("button", { type: "button", class: "ww-retry" });
  errorBox.append(errorText, retryButton);

  const form = el("form", { class: "ww-form" });
  const input = named(el("textarea", { id: "ww-input", class: "ww-input", rows: "2", autocomplete: "off",
    maxlength: String(state.maxLength || FALLBACK_MAX_LENGTH) }), "placeholder", "placeholder");
  const sendButton = el("button", { type: "submit", class: "ww-send", "aria-disabled": "false" });
  sendButton.append(say("send"));
  const inputLabel = el("label", { for: "ww-input", class: "ww-label" });
  inputLabel.append(say("inputLabel"));
  form.append(inputLabel, input, sendButton);

  scroller.append(notice, settings, log, errorBox);
  panel.append(header, scroller, live, form);
  root.append(panel, launcher);

  // --- language ----------------------------------------------------------------------------------
  function direction(language) {
    return (ALL_TEXTS[language] && ALL_TEXTS[language].direction) || "ltr";
  }

  /** Rewrites the widget in `language`; `tell`: also ask the bot to go on in it (the picker). */
  function setLanguage(language, tell) {
    if (!ALL_TEXTS[language]) return;
    state.language = language;
    loadTexts(language);
    bound.forEach((apply) => apply());
    panel.setAttribute("lang", language);
    panel.setAttribute("dir", direction(language));
    languagePicker.value = language;
    save();
    renderAll();
    if (tell) send('/choose_language{"language": "' + language + '"}', null);
  }

  // --- rendering ---------------------------------------------------------------------------------
  function messageNode(message) {
    // lang and dir, so a screen reader pronounces the message in its own language; the text itself
    // takes its direction from its own letters (a message may be in another language than the conversation's).
    const language = message.lang || DEFAULT_LANG;
    const item = el("li", { class: "ww-msg ww-msg--" + message.who, lang: language, dir: direction(language) });
    item.append(el("span", { class: "ww-sr-only" }, message.who === "bot" ? texts.bot : texts.you));
    const body = el("div", { class: "ww-bubble", dir: "auto" });
    if (message.who === "bot") renderBotText(body, message.text || "");
    else body.append(el("p", {}, message.text));
    if (message.summaryUrl) body.append(summaryLinkNode(message));
    item.append(body);
    if (synth && message.who === "bot" && message.text) {
      const readButton = el("button", { type: "button", class: "ww-read" }, texts.readAloud);
      readButton.addEventListener("click", () => {
        synth.cancel(); // a click reads this message now, not after what is still being read
        speak(message, item);
      });
      item.append(readButton);
    }
    return item;
  }

  // --- the summary to take along (bot/web/widget/summary.py) ------------------------------------
  // Under the summary's question: a link to the printable summary, in the resident's language and in
  // Dutch. The server gives a short-lived link; an older one is renewed on the click.
  const SUMMARY_MARGIN_MS = 60000;

  function summaryLinkNode(message) {
    const paragraph = el("p", { class: "ww-summary" });
    const link = el("a", { href: server + message.summaryUrl, target: "_blank", rel: "noopener noreferrer" },
      texts.summaryLink);
    link.append(" ", el("span", { class: "ww-sr-only" }, texts.newWindow));
    link.addEventListener("click", (event) => {
      if (Date.now() < (message.summaryUntil || 0)) return; // still good: the browser opens it
      event.preventDefault();
      renewSummaryLink(message);
    });
    paragraph.append(link);
    return paragraph;
  }

  /** A new link for this conversation, shown in a window opened on the click itself (no pop-up blocker). */
  async function renewSummaryLink(message) {
    const opened = window.open("", "_blank");
    try {
      const answer = await postJson("/widget/api/summary-link", { token: state.token, language: state.language });
      keepSummaryLink(message, answer);
      save();
      renderAll();
      if (opened) {
        opened.opener = null;
        opened.location.href = server + answer.summary_url;
      } else {
        window.open(server + answer.summary_url, "_blank", "noopener");
      }
    } catch (error) {
      if (opened) opened.close();
      failed(error);
    }
  }

  function keepSummaryLink(message, answer) {
    message.summaryUrl = answer.summary_url;
    message.summaryUntil = Date.now() + (answer.summary_expires_in || 0) * 1000 - SUMMARY_MARGIN_MS;
  }

  // --- reading aloud (speech synthesis in the browser, see `synth`) ------------------------------
  function speak(message, item) {
    const lang = SPEECH_LANGS[message.lang || DEFAULT_LANG] || message.lang || DEFAULT_LANG;
    const utterance = new window.SpeechSynthesisUtterance(message.text);
    utterance.lang = lang;
    const base = lang.split("-")[0].toLowerCase();
    const voices = synth.getVoices() || [];
    const voice = voices.find((v) => String(v.lang).replace("_", "-").toLowerCase() === lang.toLowerCase())
      || voices.find((v) => String(v.lang).toLowerCase().split(/[-_]/)[0] === base);
    if (voice) utterance.voice = voice;
    else noVoice(item); // the browser may still read it with another voice
    synth.speak(utterance);
  }

  function noVoice(item) {
    if (!item || item.querySelector(".ww-no-voice")) return;
    const note = el("p", { class: "ww-no-voice", role: "status" });
    item.append(note);
    window.setTimeout(() => { note.textContent = texts.noVoice; }, 50); // after a tick: announced politely
  }

  // --- text size ---------------------------------------------------------------------------------
  function setTextSize(index) {
    state.textSize = index;
    root.style.setProperty("--ww-scale", String(TEXT_SIZES[index].scale));
    sizeButtons.forEach((button, i) => button.setAttribute("aria-pressed", String(i === index)));
    save();
  }

  function choicesNode(buttons) {
    const group = el("div", { class: "ww-choices" });
    for (const button of buttons) {
      const choice = el("button", { type: "button", class: "ww-choice" }, button.title);
      choice.addEventListener("click", () => {
        if (busy) return;
        group.remove();
        input.focus(); // the pressed button is gone; keep the keyboard where the resident types next
        send(button.payload, button.title);
      });
      group.append(choice);
    }
    return group;
  }

  /** Redraws the whole history; buttons only under the replies since the resident's last message. */
  function renderAll() {
    log.replaceChildren();
    const lastUser = state.messages.map((m) => m.who).lastIndexOf("user");
    state.messages.forEach((message, index) => {
      const node = messageNode(message);
      if (message.who === "bot" && index > lastUser && message.buttons && message.buttons.length) {
        node.append(choicesNode(message.buttons));
      }
      log.append(node);
    });
    scrollToEnd();
  }

  function addMessages(messages) {
    state.messages.push(...messages);
    save();
    renderAll();
  }

  function announce(text) {
    live.textContent = "";
    // A fresh text node after a tick, so the same reply twice is still read twice.
    window.setTimeout(() => { live.textContent = text; }, 50);
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  /** `action`: what the button under the error does: "retry" (send again), "restart" (a new conversation) or none. */
  function showError(text, action) {
    errorText.textContent = text;
    errorAction = action || null;
    retryButton.textContent = action === "restart" ? texts.restart : texts.retry;
    retryButton.hidden = !action;
    errorBox.hidden = false;
    scrollToEnd();
  }

  function hideError() {
    errorBox.hidden = true;
  }

  function setBusy(value) {
    busy = value;
    sendButton.setAttribute("aria-disabled", String(value));
    if (value) log.append(typing);
    else typing.remove();
    scrollToEnd();
  }

  // --- talking to the server ---------------------------------------------------------------------
  let busy = false;
  let errorAction = null;

  async function postJson(path, body) {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), state.timeoutMs || FALLBACK_TIMEOUT_MS);
    try {
      const response = await fetch(server + path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
        signal: controller.signal, credentials: "omit", mode: "cors",
      });
      let answer = null;
      try {
        answer = await response.json();
      } catch (error) {
        /* not JSON: a proxy's error page */
      }
      if (!response.ok) throw Object.assign(new Error("HTTP " + response.status), { code: (answer && answer.error) || "http" });
      return answer;
    } finally {
      window.clearTimeout(timer);
    }
  }

  async function ensureConversation() {
    if (state.token) return;
    const started = await postJson("/widget/api/conversations", {});
    Object.assign(state, { token: started.token, maxLength: started.max_length, timeoutMs: started.timeout_ms });
    input.setAttribute("maxlength", String(state.maxLength));
    save();
  }

  /** Sends `text` (a typed message or a button payload); `shown` is what the log shows, null for nothing. */
  function send(text, shown) {
    if (busy) return; // a double click or a second Enter: the message is already on its way
    const message = { id: newMessageId(), text, attempts: 0, typed: shown === text };
    state.pending = message;
    const chosen = CHOOSE_LANGUAGE.exec(text);
    if (chosen && chosen[1] !== state.language) setLanguage(chosen[1], false); // the offer's button: the widget follows
    if (shown !== null) addMessages([{ who: "user", text: shown, lang: state.language }]);
    else save();
    deliver(message);
  }

  async function deliver(message) {
    if (busy) return;
    setBusy(true);
    hideError();
    // Counted before sending: if this page is left or the answer is lost, the next try says it is a
    // retry, and the server looks up the first try's answer instead of processing the message twice.
    const retry = message.attempts > 0;
    message.attempts += 1;
    save();
    try {
      await ensureConversation();
      const answer = await postJson("/widget/api/messages",
        { token: state.token, message_id: message.id, text: message.text, retry });
      state.pending = null;
      if (answer.token) state.token = answer.token; // renewed: the conversation's idle time starts again
      receive(answer.replies || [], answer);
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
      save();
    }
  }

  function receive(replies, answer) {
    const messages = replies.map((r) => ({ who: "bot", text: r.text || "", buttons: r.buttons || [], lang: state.language }));
    // The intake summary was shown: its link goes under the last reply (the summary's question).
    if (answer && answer.summary_url && messages.length) keepSummaryLink(messages[messages.length - 1], answer);
    addMessages(messages);
    const spoken = messages.map((m) => m.text).filter(Boolean).join(" ");
    if (spoken) announce(texts.bot + " " + spoken);
    if (synth && state.readAloud) {
      // Only the new replies, in order (speech synthesis queues them); never the history.
      const items = [...log.querySelectorAll(".ww-msg--bot")].slice(-messages.length);
      messages.forEach((message, i) => { if (message.text) speak(message, items[i]); });
    }
  }

  function failed(error) {
    if (error.code === "too_long") {
      state.pending = null;
      showError(texts.tooLong, null);
      return;
    }
    if (error.code === "expired") {
      // The conversation has ended on the server: this message belongs to it, so it is not sent again.
      // What the resident typed goes back into the text box, to send in the new conversation.
      if (state.pending && state.pending.typed && !input.value) input.value = state.pending.text;
      Object.assign(state, { token: null, pending: null });
      showError(texts.expired, "restart");
      return;
    }
    if (error.code === "invalid_token") state.token = null; // the server no longer knows it: start anew
    showError(error.code === "rate_limited" ? texts.tooMany : texts.unreachable, "retry");
  }

  function restart() {
    if (busy) return;
    state.messages = [];
    state.pending = null;
    hideError();
    renderAll();
    send("/restart", null);
    input.focus();
  }

  // --- opening and closing -----------------------------------------------------------------------
  function open(focus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("ww--open");
    state.open = true;
    save();
    scrollToEnd();
    if (focus) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("ww--open");
    state.open = false;
    save();
    launcher.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open(true) : close()));
  closeButton.addEventListener("click", close);
  restartButton.addEventListener("click", restart);
  retryButton.addEventListener("click", () => {
    if (errorAction === "restart") restart();
    else if (state.pending) deliver(state.pending);
    else hideError();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    if (text.length > (state.maxLength || FALLBACK_MAX_LENGTH)) {
      showError(texts.tooLong, null);
      return;
    }
    input.value = "";
    send(text, text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // --- start ---------------------------------------------------------------------------------------
  function start() {
    const stylesheet = el("link", { rel: "stylesheet", href: new URL("wegwijs.css", script.src).href });
    const show = () => { root.hidden = false; };
    stylesheet.addEventListener("load", show);
    stylesheet.addEventListener("error", show);
    document.head.append(stylesheet);
    document.body.append(root);
    setTextSize(state.textSize);
    setLanguage(state.language, false);
    if (state.open) open(false); // another page of the site: same conversation, focus stays on the page
    if (state.pending) deliver(state.pending); // left mid-answer: ask again, marked as a retry
  }

  window.Wegwijs = { contrastRatio: (a, b) => contrastRatio(parseHex(a), parseHex(b)), readableColors, open: () => open(true), close };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
