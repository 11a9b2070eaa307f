"""One router per concept; `app.ROUTERS` lists them (a new concept adds a module and one line there)."""
