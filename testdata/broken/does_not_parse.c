// Not valid C: krefcheck must report this file as failed and go on with the others.
int broken(void) { return undeclared_identifier + ; }
