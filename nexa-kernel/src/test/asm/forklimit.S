# fork until the kernel's task limit refuses (EAGAIN); the children wait in pause().
        .include "lib.S"
main:
        xor %r12d, %r12d
1:      SYS SYS_fork
        test %rax, %rax
        jz child
        js fail
        inc %r12
        jmp 1b
child:  SYS SYS_pause
        EXIT 0
fail:   OUT %r12
        OUT %rax
        EXIT 0
