// Names no refcounting API: the prefilter skips it without parsing (it would not even parse).
int no_api(void) { return this is not C; }
