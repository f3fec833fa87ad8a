"""The team server: the Workbench app in the browser, each analyst signed in.

``workbench serve PROJECT`` serves the Textual app with textual-serve; the server, not the
users' honesty, keeps each coder blind. Modules:

* ``passwords``: scrypt hashes with per-user salt and parameters, constant-time check;
* ``accounts``: users and roles (coder, lead, observer), signing in with lock-out, audited;
* ``sessions``: session tokens (stored hashed) with expiry and idle time;
* ``throttle``: failed sign-ins per client address;
* ``command``: the app process of a session, built from its user and role only;
* ``service``: that process (textual-serve's AppService) and the register of running apps;
* ``pages``: the sign-in and app pages and their Content Security Policy;
* ``config``: settings, and refusing to listen beyond localhost without TLS;
* ``web``: the aiohttp application (routes, the sign-in guard, websocket, downloads).

It starts the app as a separate process per browser session, so it imports nothing of
``workbench.ui``; its statements are in ``workbench.store.users``.
"""
