# rt_sigreturn with no frame under the stack pointer: SIGSEGV.
        .include "lib.S"
main:
        mov $0x10, %rsp
        SYS SYS_rt_sigreturn
        EXIT 0
