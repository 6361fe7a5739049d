"""Elder mode (适老化): large text and high contrast, chosen per browser and remembered in a
cookie. The elder-mode view sets the cookie; page templates (through the context processor)
and the page cache read it."""

ELDER_COOKIE = "elder_mode"  # "1": on; absent: off
ELDER_COOKIE_AGE = 365 * 24 * 3600
