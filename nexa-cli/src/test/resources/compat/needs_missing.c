/* Linked against libnexamissing.so, which the test deletes after linking: the dynamic loader
   must fail before main with its own message and status 127, under Nexa as natively. */
int nexa_missing(void);

int main(void) { return nexa_missing(); }
