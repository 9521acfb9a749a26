"use strict";
// The admin's note about time zones under date-time fields only (see
// staff/admin_widgets.py). Django's DateTimeShortcuts.js adds it under
// every date and time input when the browser's time zone is not the server's;
// a date-only field has no time to enter. Loaded after DateTimeShortcuts.js,
// before the page's load event, when DateTimeShortcuts.init adds the notes.
{
    const shortcuts = window.DateTimeShortcuts;
    const addTimezoneWarning = shortcuts.addTimezoneWarning;
    shortcuts.addTimezoneWarning = function (input) {
        if (input.closest(".datetime")) {
            addTimezoneWarning(input);
        }
    };
}
