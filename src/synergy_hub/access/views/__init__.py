"""Pages of the access workflow; thin: parse the form, call one service, render."""
