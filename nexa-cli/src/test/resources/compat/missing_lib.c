/* The shared library needs_missing.c links against; deleted before the program runs. */
int nexa_missing(void) { return 3; }
