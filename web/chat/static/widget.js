/*
 * Facial palsy intake: the patient chat widget (no framework, no build step).
 *
 * Embed on any page with
 *     <script src="https://HOST/chat/widget.js" defer></script>
 * With an element id="intake-chat" on the page the chat is drawn inside it; without one a
 * "Chat with us" button opens it in a dialog. The widget talks only to the server it was
 * loaded from (HOST/chat/api/...), never to Rasa or any other site. See docs/chat.md.
 */
(function () {
  "use strict";

  if (window.IntakeChat) { return; }          // the script was included twice

  var MAX_TEXT = 2000;
  var PERSON_TEXT = "I'd like to talk to a person";
  var KEY = "intake-chat:";
  var REQUEST_TIMEOUT = 90000;                 // ms; the server gives Rasa 60 s
  var MAX_BACKOFF = 30000;
  var FALLBACK_CONFIG = {
    privacy_notice: "Before you start: with your permission, what you type here is stored in your hospital " +
      "record and read only by the facial nerve team and staff involved in your care. The assistant is not " +
      "a person and cannot help in an emergency: if you feel very unwell, call your emergency number.",
    unavailable: "We can't reach the assistant right now; your message is kept and will be sent when the " +
      "connection is back."
  };
  var WAITING_NOTICE = "We can't reach the assistant right now. We'll keep trying; anything you type is kept " +
    "and will be sent when the connection is back.";

  // ---- where the server is -------------------------------------------------------------
  var script = document.currentScript ||
    document.querySelector("script[src$='/chat/widget.js'], script[src*='/chat/widget.js?']");
  var BASE = new URL(".", script && script.src ? script.src : window.location.href).href;   // .../chat/

  // ---- storage that survives a reload (memory only when the browser refuses) -----------
  var memory = {};
  var store = {
    get: function (key) {
      try { return window.localStorage.getItem(KEY + key); } catch (e) { return memory[key] || null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(KEY + key, value); } catch (e) { memory[key] = value; }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(KEY + key); } catch (e) { /* memory only */ }
      delete memory[key];
    }
  };

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---- DOM helpers ----------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = value; } else { node.setAttribute(name, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function icon(kind) {
    var paths = {
      warning: "M12 2 1 21h22L12 2zm0 5.5 1 8h-2l1-8zM11 17h2v2h-2v-2z",
      person: "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4 0-8 2-8 5v2h16v-2c0-3-4-5-8-5z",
      chat: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"
    };
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "ic-icon");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", paths[kind]);
    svg.appendChild(path);
    return svg;
  }

  // ---- the server's JSON API -------------------------------------------------------------
  function api(method, path, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT) : null;
    var options = { method: method, headers: { "Accept": "application/json" }, cache: "no-store",
                    credentials: "omit", signal: controller ? controller.signal : undefined };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(BASE + path, options).then(function (response) {
      clearTimeout(timer);
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) { return data; }
        var error = new Error(data.message || ("HTTP " + response.status));
        error.status = response.status;
        error.code = data.error;
        throw error;
      });
    }, function () {
      clearTimeout(timer);
      var error = new Error("network");
      error.status = 0;
      throw error;
    });
  }

  var counter = 0;

  // ---- one chat -------------------------------------------------------------------------
  function Chat(config, mode) {
    var self = this;
    var id = "ic" + (++counter);
    this.mode = mode;                       // "page" (inline) or "dialog" (launcher)
    this.config = config;
    this.sender = null;
    this.outbox = [];                        // [{id, text} | {id, kind: "start"}], oldest first
    this.loaded = false;                     // the history is shown
    this.busy = false;
    this.failures = 0;
    this.retryTimer = null;

    // The panel. Every text is set with textContent: nothing from the bot is read as HTML.
    this.title = el("h2", { "class": "ic-title", id: id + "-title", text: "Chat with the intake assistant" });
    this.personButton = el("button", { type: "button", "class": "ic-button ic-person" }, [icon("person"), "Talk to a person"]);
    var actions = el("div", { "class": "ic-head-actions" }, [this.personButton]);
    if (mode === "dialog") {
      this.closeButton = el("button", { type: "button", "class": "ic-button ic-close", text: "Close" });
      actions.appendChild(this.closeButton);
    }
    var head = el("div", { "class": "ic-head" }, [this.title, actions]);
    this.privacy = el("p", { "class": "ic-privacy", id: id + "-privacy", text: config.privacy_notice });
    this.log = el("div", { "class": "ic-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
                           "aria-label": "Conversation" });
    this.body = el("div", { "class": "ic-body" }, [this.privacy, this.log]);
    if (mode === "dialog") {
      this.body.setAttribute("tabindex", "0");        // scrolls: reachable with the keyboard
      this.body.setAttribute("role", "group");
      this.body.setAttribute("aria-label", "Privacy notice and conversation");
    }
    this.typing = el("div", { "class": "ic-typing", role: "status" });
    this.announcer = el("div", { "class": "ic-sr-only", role: "status" });
    this.notice = el("div", { "class": "ic-notice", role: "status" });
    this.hint = el("p", { "class": "ic-hint", id: id + "-hint",
                          text: "Press Enter to send. Shift and Enter starts a new line." });
    this.inputError = el("p", { "class": "ic-input-error", id: id + "-error", role: "alert" });
    this.input = el("textarea", { id: id + "-input", "class": "ic-input", rows: "3", autocomplete: "off",
                                  "aria-describedby": id + "-hint " + id + "-error" });
    this.sendButton = el("button", { type: "submit", "class": "ic-button ic-send", text: "Send" });
    this.form = el("form", { "class": "ic-form", novalidate: true }, [
      el("label", { "for": id + "-input", "class": "ic-label", text: "Your message" }),
      this.hint,
      el("div", { "class": "ic-row" }, [this.input, this.sendButton]),
      this.inputError
    ]);
    this.forgetButton = el("button", { type: "button", "class": "ic-link-button", text: "Clear this chat from this device" });
    var foot = el("div", { "class": "ic-foot" }, [this.forgetButton]);
    var parts = [head, this.body, this.typing, this.notice, this.form, foot, this.announcer];
    this.root = el(mode === "page" ? "section" : "div", { "class": "ic-chat ic-chat--" + mode,
                                                          "aria-labelledby": mode === "page" ? id + "-title" : null }, parts);

    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.sendTyped();
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.sendTyped();
      }
    });
    this.input.addEventListener("input", function () {
      if (self.sender) { store.set("draft:" + self.sender, self.input.value); }
      if (self.inputError.textContent && self.input.value.length <= MAX_TEXT) { self.setInputError(""); }
    });
    this.personButton.addEventListener("click", function () { self.send(PERSON_TEXT); });
    this.forgetButton.addEventListener("click", function () { self.forget(); });
    window.addEventListener("online", function () { self.retryNow(); });
  }

  Chat.prototype.start = function () {
    if (this.sender) { return; }
    this.sender = store.get("sender");
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(this.sender || "")) {
      this.sender = uuid();
      store.set("sender", this.sender);
    }
    try { this.outbox = JSON.parse(store.get("outbox:" + this.sender) || "[]") || []; } catch (e) { this.outbox = []; }
    var draft = store.get("draft:" + this.sender);
    if (draft && !this.input.value) { this.input.value = draft; }
    this.loadHistory();
  };

  Chat.prototype.saveOutbox = function () {
    store.set("outbox:" + this.sender, JSON.stringify(this.outbox.map(function (item) {
      return { id: item.id, text: item.text, kind: item.kind, tried: item.tried };
    })));
  };

  // -- the conversation so far -----------------------------------------------------------
  Chat.prototype.loadHistory = function () {
    var self = this;
    var sender = this.sender;
    api("GET", "api/history?sender=" + encodeURIComponent(sender)).then(function (data) {
      if (sender !== self.sender) { return; }
      self.failures = 0;
      self.setNotice("");
      var messages = data.messages || [];
      var delivered = {};
      messages.forEach(function (m) { if (m.id) { delivered[m.id] = true; } });
      // A message whose answer was lost (a reload or a dropped connection) may have arrived.
      self.outbox = self.outbox.filter(function (item) {
        return !delivered[item.id] && !(item.kind === "start" && messages.length);
      });
      var lastUser = -1;
      messages.forEach(function (m, index) { if (m.from === "user") { lastUser = index; } });
      // Shown again all at once: not read out message by message.
      self.log.setAttribute("aria-live", "off");
      self.log.textContent = "";
      messages.forEach(function (m, index) {
        self.addMessage(m, { buttons: index > lastUser && !self.outbox.some(function (i) { return !i.kind; }) });
      });
      self.outbox.forEach(function (item) { if (!item.kind) { self.addUserItem(item); } });
      window.setTimeout(function () { self.log.setAttribute("aria-live", "polite"); }, 50);
      self.loaded = true;
      if (messages.length) {
        self.announce("Your earlier conversation is shown again.");
        self.scrollToEnd(null);
      } else if (!self.outbox.length) {
        // A new conversation: the bot introduces itself and asks for consent. (A message the
        // patient typed before this point opens the conversation itself.)
        self.outbox.push({ id: uuid(), kind: "start" });
      }
      self.saveOutbox();
      self.pump();
    }, function (error) {
      if (sender !== self.sender) { return; }
      if (error.status === 400 && error.code === "invalid_sender") { self.reset(); return; }
      self.failures += 1;
      self.setNotice(self.outbox.some(function (item) { return !item.kind; }) ? self.config.unavailable : WAITING_NOTICE);
      self.outbox.forEach(function (item) { if (!item.kind && !item.node) { self.addUserItem(item); } });
      self.scheduleRetry();
    });
  };

  // -- messages on screen --------------------------------------------------------------
  Chat.prototype.addMessage = function (message, options) {
    var self = this;
    var bot = message.from !== "user";
    var item = el("div", { "class": "ic-msg " + (bot ? "ic-msg--bot" : "ic-msg--user") +
                                    (message.emergency ? " ic-msg--emergency" : "") });
    if (message.emergency) {
      item.setAttribute("role", "alert");
      item.appendChild(el("h3", { "class": "ic-emergency-title" }, [icon("warning"), "Emergency"]));
    }
    item.appendChild(el("p", { "class": "ic-who", text: bot ? "Assistant" : "You" }));
    item.appendChild(el("p", { "class": "ic-text", text: message.text }));
    if (bot && options && options.buttons && message.buttons && message.buttons.length) {
      var group = el("div", { "class": "ic-replies", role: "group", "aria-label": "Answer choices" });
      message.buttons.forEach(function (button) {
        var node = el("button", { type: "button", "class": "ic-button ic-reply", text: button.title });
        node.addEventListener("pointerdown", function (event) { self.pointer = event.pointerType; });
        node.addEventListener("click", function () {
          var touch = self.pointer === "touch";
          self.pointer = null;
          self.send(button.payload || button.title);
          // The choices are gone once answered: keep the keyboard where the next answer goes.
          if (touch) { self.log.setAttribute("tabindex", "-1"); self.log.focus({ preventScroll: true }); }
          else { self.input.focus({ preventScroll: true }); }
        });
        group.appendChild(node);
      });
      item.appendChild(group);
    }
    this.log.appendChild(item);
    return item;
  };

  Chat.prototype.addUserItem = function (item) {
    item.node = this.addMessage({ from: "user", text: item.text });
    if (item.tried && this.failures) { this.markPending(item, true); }
  };

  Chat.prototype.markPending = function (item, pending) {
    if (!item.node) { return; }
    var state = item.node.querySelector(".ic-state");
    if (pending && !state) {
      item.node.classList.add("ic-msg--pending");
      item.node.appendChild(el("p", { "class": "ic-state", text: "Not sent yet: it will be sent when the connection is back." }));
    } else if (!pending && state) {
      item.node.classList.remove("ic-msg--pending");
      state.parentNode.removeChild(state);
    }
  };

  Chat.prototype.clearReplies = function () {
    Array.prototype.forEach.call(this.log.querySelectorAll(".ic-replies"), function (group) {
      group.parentNode.removeChild(group);
    });
  };

  Chat.prototype.scrollToEnd = function (first) {
    if (this.mode === "dialog") {
      var body = this.body;
      if (first && first.offsetTop - body.offsetTop < body.scrollHeight - body.clientHeight) {
        body.scrollTop = Math.max(0, first.offsetTop - body.offsetTop - 8);
      } else {
        body.scrollTop = body.scrollHeight;
      }
      return;
    }
    // Full page: the answer box in view, and the start of the new messages if they fit.
    this.form.scrollIntoView({ block: "end" });
    if (first && first.getBoundingClientRect().top < 0) { first.scrollIntoView({ block: "start" }); }
  };

  Chat.prototype.setTyping = function (text) {
    // Announced once per wait (a status region), drawn as three dots.
    if (text) {
      if (!this.typing.textContent) {
        this.typing.textContent = "";
        this.typing.appendChild(el("span", { "class": "ic-typing-text", text: text }));
        this.typing.appendChild(el("span", { "class": "ic-dots", "aria-hidden": "true" },
                                   [el("span"), el("span"), el("span")]));
      }
      this.typing.classList.add("ic-typing--on");
    } else {
      this.typing.textContent = "";
      this.typing.classList.remove("ic-typing--on");
    }
  };

  Chat.prototype.announce = function (text) {
    // For screen readers only (things the eye sees anyway).
    var announcer = this.announcer;
    announcer.textContent = text;
    window.setTimeout(function () { if (announcer.textContent === text) { announcer.textContent = ""; } }, 8000);
  };

  Chat.prototype.setNotice = function (text) {
    if (this.notice.textContent !== text) { this.notice.textContent = text; }
    this.notice.classList.toggle("ic-notice--on", !!text);
  };

  Chat.prototype.setInputError = function (text) {
    this.inputError.textContent = text;
    if (text) { this.input.setAttribute("aria-invalid", "true"); } else { this.input.removeAttribute("aria-invalid"); }
  };

  // -- sending ---------------------------------------------------------------------------
  Chat.prototype.sendTyped = function () {
    var text = this.input.value.trim();
    if (!text) {
      this.setInputError("Please type a message first.");
      return;
    }
    if (text.length > MAX_TEXT) {
      this.setInputError("Please keep a message under " + MAX_TEXT + " characters (this one has " + text.length +
                         "). You can send the rest in a second message.");
      return;
    }
    this.setInputError("");
    this.input.value = "";
    store.remove("draft:" + this.sender);
    this.send(text);
  };

  Chat.prototype.send = function (text) {
    if (!this.sender) { this.start(); }
    this.clearReplies();
    var item = { id: uuid(), text: text };
    this.outbox.push(item);
    this.saveOutbox();
    this.addUserItem(item);
    if (this.failures) { this.markPending(item, true); }
    this.scrollToEnd(item.node);
    this.pump();
  };

  Chat.prototype.pump = function () {
    var self = this;
    if (this.busy || !this.loaded || this.retryTimer || !this.outbox.length) { return; }
    var item = this.outbox[0];
    var sender = this.sender;
    this.busy = true;
    this.log.setAttribute("aria-busy", "true");     // the replies are read out together when they are in
    this.setTyping("The assistant is typing");
    var request = item.kind === "start"
      ? api("POST", "api/start", { sender: sender })
      : api("POST", "api/message", { sender: sender, text: item.text, id: item.id, retry: !!item.tried });
    item.tried = true;
    this.saveOutbox();
    request.then(function (data) {
      if (sender !== self.sender) { return; }
      self.busy = false;
      self.failures = 0;
      self.log.setAttribute("aria-busy", "false");
      self.setTyping("");
      self.setNotice("");
      self.outbox.shift();
      self.saveOutbox();
      self.outbox.forEach(function (waiting) { self.markPending(waiting, false); });
      self.markPending(item, false);
      if (item.kind === "start" && data.started === false) {   // started elsewhere: show that conversation
        self.loaded = false;
        self.loadHistory();
        return;
      }
      var first = null;
      var more = self.outbox.some(function (waiting) { return !waiting.kind; });
      (data.messages || []).forEach(function (message) {
        var node = self.addMessage(message, { buttons: !more });
        first = first || node;
      });
      // The opening messages stay under the privacy notice; later ones are scrolled to.
      if (item.kind !== "start") { self.scrollToEnd(first); }
      self.pump();
    }, function (error) {
      if (sender !== self.sender) { return; }
      self.busy = false;
      self.log.setAttribute("aria-busy", "false");
      self.setTyping("");
      if (error.status === 400 || error.status === 413) {
        if (error.code === "invalid_sender") { self.reset(); return; }
        // Refused (too long, empty...): give the words back to the patient with the reason.
        self.outbox.shift();
        self.saveOutbox();
        if (item.node && item.node.parentNode) { item.node.parentNode.removeChild(item.node); }
        if (item.text) {
          self.input.value = item.text + (self.input.value ? "\n" + self.input.value : "");
          store.set("draft:" + self.sender, self.input.value);
        }
        self.setInputError(error.message);
        self.pump();
        return;
      }
      self.failures += 1;
      self.setNotice(item.kind ? WAITING_NOTICE : self.config.unavailable);
      self.outbox.forEach(function (waiting) { self.markPending(waiting, true); });
      self.scheduleRetry();
    });
  };

  Chat.prototype.scheduleRetry = function () {
    var self = this;
    if (this.retryTimer) { return; }
    var delay = Math.min(MAX_BACKOFF, 1000 * Math.pow(2, Math.max(0, this.failures - 1)));
    this.retryTimer = window.setTimeout(function () { self.retryTimer = null; self.retry(); }, delay);
  };

  Chat.prototype.retryNow = function () {
    if (!this.retryTimer) { return; }
    window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retry();
  };

  Chat.prototype.retry = function () {
    if (!this.sender) { return; }
    if (this.loaded) { this.pump(); } else { this.loadHistory(); }
  };

  // -- leaving no trace on a shared computer -----------------------------------------------
  Chat.prototype.forget = function () {
    var unsent = this.outbox.some(function (item) { return !item.kind; });
    var question = "Clear this chat from this device? Your answers stay with the hospital, but this browser " +
      "will no longer show them" + (unsent ? ", and messages not yet sent will be lost" : "") + ".";
    if (!window.confirm(question)) { return; }
    this.reset();
    this.announce("The chat was cleared from this device.");
    this.input.focus();
  };

  Chat.prototype.reset = function () {
    if (this.sender) {
      store.remove("outbox:" + this.sender);
      store.remove("draft:" + this.sender);
    }
    store.remove("sender");
    window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.sender = null;
    this.outbox = [];
    this.loaded = false;
    this.busy = false;
    this.failures = 0;
    this.log.textContent = "";
    this.input.value = "";
    this.setNotice("");
    this.setTyping("");
    this.start();
  };

  // ---- putting it on the page -----------------------------------------------------------
  function readConfig(host) {
    var raw = host && host.getAttribute("data-config");
    if (raw) {
      try { return Promise.resolve(JSON.parse(raw)); } catch (e) { /* fetch it instead */ }
    }
    return api("GET", "api/config").catch(function () { return FALLBACK_CONFIG; });
  }

  function loadStyles() {
    if (document.querySelector("link[data-intake-chat-css]")) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      var link = el("link", { rel: "stylesheet", href: BASE + "static/chat.css", "data-intake-chat-css": true });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
      document.head.appendChild(link);
    });
  }

  function mountInline(host, config) {
    var chat = new Chat(config, "page");
    host.textContent = "";
    host.appendChild(chat.root);
    chat.start();
    return chat;
  }

  function mountLauncher(config) {
    var chat = new Chat(config, "dialog");
    var dialog = el("dialog", { "class": "ic-dialog", "aria-labelledby": chat.title.id }, [chat.root]);
    var launcher = el("button", { type: "button", "class": "ic-launcher", "aria-haspopup": "dialog" },
                      [icon("chat"), "Chat with us"]);
    var wrap = el("aside", { "class": "ic-launcher-wrap", "aria-label": "Patient chat" }, [launcher, dialog]);
    function open() {
      if (!dialog.open) { dialog.showModal(); }
      chat.start();
      chat.input.focus();
    }
    launcher.addEventListener("click", open);
    chat.closeButton.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { launcher.focus(); });   // Escape closes it too
    document.body.appendChild(wrap);
    chat.open = open;
    return chat;
  }

  var ready = null;
  function init() {
    var host = document.getElementById("intake-chat");
    ready = Promise.all([readConfig(host), loadStyles()]).then(function (results) {
      var config = results[0] || FALLBACK_CONFIG;
      Object.keys(FALLBACK_CONFIG).forEach(function (key) { config[key] = config[key] || FALLBACK_CONFIG[key]; });
      return host ? mountInline(host, config) : mountLauncher(config);
    });
    return ready;
  }

  window.IntakeChat = {
    open: function () { return ready.then(function (chat) { if (chat.open) { chat.open(); } else { chat.input.focus(); } }); }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
