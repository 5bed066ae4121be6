# nanosleep interrupted by a handled signal fails with EINTR (even with SA_RESTART: its restart
# code is ERESTART_RESTARTBLOCK) and writes the time left.
        .include "lib.S"
main:
        SIGACTION SIGUSR1, handler, SA_RESTART
        SYS SYS_getpid
        mov %rax, %r15
        SYS SYS_fork
        test %rax, %rax
        jnz 1f
        lea short(%rip), %rdi
        xor %esi, %esi
        SYS SYS_nanosleep
        mov %r15, %rdi
        mov $SIGUSR1, %esi
        SYS SYS_kill
        SYS SYS_pause
        EXIT 1
1:      mov %rax, %r12
        lea long(%rip), %rdi
        lea rem(%rip), %rsi
        SYS SYS_nanosleep
        OUT %rax
        OUT rem(%rip)
        OUT handled(%rip)
        mov %r12, %rdi
        mov $9, %esi
        SYS SYS_kill
        mov %r12, %rdi
        lea status(%rip), %rsi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        OUT status(%rip)
        EXIT 0

handler:
        incq handled(%rip)
        ret

        .balign 8
handled: .quad 0
status: .quad 0
short:  .quad 0, 20000000
long:   .quad 10, 0
rem:    .quad -1, -1
