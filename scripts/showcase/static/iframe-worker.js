/* 劳模工匠云展, offline kiosk only: a browser refuses to start a Web Worker from file://,
   and Material's search runs in one. Here the worker's script runs in a hidden iframe of
   this page instead, with the worker's API (postMessage, importScripts, message events);
   Material's search worker knows this arrangement (it looks for IFrameWorker in its parent).
   Loaded before Material's bundle (extra.polyfills of the kiosk build), never from a
   network: the kiosk works with no connection. */
(function () {
  "use strict";
  if (location.protocol !== "file:" || window.IFrameWorker) return;

  function IFrameWorker(script) {
    var url = new URL(script, document.baseURI).href;
    var events = new EventTarget();
    var frame = document.createElement("iframe");
    var queue = [];
    var ready = false;
    var worker = this;
    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = events.addEventListener.bind(events);
    this.removeEventListener = events.removeEventListener.bind(events);
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    document.body.appendChild(frame);
    var scope = frame.contentWindow;
    var doc = scope.document;

    function load(src) {
      return new Promise(function (resolve, reject) {
        var script = doc.createElement("script");
        script.src = new URL(src, url).href;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("cannot load " + src)); };
        doc.head.appendChild(script);
      });
    }

    function deliver(data) {  /* worker → page: a copy, in this page's realm */
      var event = new MessageEvent("message", { data: structuredClone(data) });
      if (typeof worker.onmessage === "function") worker.onmessage(event);
      events.dispatchEvent(event);
    }

    function send(data) {  /* page → worker: a copy, in the frame's realm */
      scope.dispatchEvent(new scope.MessageEvent("message", { data: scope.structuredClone(data) }));
    }

    /* In the worker, importScripts resolves a promise (Material's worker waits for it). */
    scope.importScripts = function () {
      return Array.prototype.reduce.call(arguments, function (done, src) {
        return done.then(function () { return load(src); });
      }, Promise.resolve());
    };
    scope.postMessage = function (data) { setTimeout(deliver, 0, data); };
    scope.close = function () { worker.terminate(); };

    this.postMessage = function (data) {
      if (ready) setTimeout(send, 0, data);
      else queue.push(data);
    };
    this.terminate = function () { frame.remove(); };

    load(url).then(function () {
      ready = true;
      queue.splice(0).forEach(function (data) { setTimeout(send, 0, data); });
    }, function (error) {
      var event = new ErrorEvent("error", { message: String(error) });
      console.error("search worker: " + error);
      if (typeof worker.onerror === "function") worker.onerror(event);
      events.dispatchEvent(event);
    });
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
