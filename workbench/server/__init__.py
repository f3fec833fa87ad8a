"""The team server: the Workbench app in the browser, each analyst signed in.

``workbench serve PROJECT`` serves the Textual app with textual-serve; the server, not the
users' honesty, keeps each coder blind. Modules:

* ``passwords``: scrypt hashes with per-user salt and parameters, constant-time check;
* ``accounts``: users and roles (coder, lead, observer), signing in with lock-out, audited;
* ``sessions``: session tokens (stored hashed) with expiry and idle time;
* ``throttle``: failed sign-ins per client address, a slot taken before each is checked;
* ``command``: the app process of a session, built from its user and role only;
* ``service``: that process (textual-serve's AppService) and the register of running apps;
* ``apps``: the caps on app processes, the websocket relaying input to one, its downloads;
* ``gate``: the cap on connections, and closing connections slow to send a request;
* ``inputs``: the Host header, form bodies and websocket messages checked; the log kept clean;
* ``pages``: the sign-in, app and refusal pages and their Content Security Policy;
* ``config``: settings, the caps checked, and refusing to listen beyond localhost without TLS;
* ``web``: the aiohttp application (routes, the sign-in guard, sign-in and out) and serving it.

It starts the app as a separate process per browser session, so it imports nothing of
``workbench.ui``; its statements are in ``workbench.store.users``.
"""
