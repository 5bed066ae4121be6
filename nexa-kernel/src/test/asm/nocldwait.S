# SIGCHLD set to SIG_IGN: children are reaped by the kernel, and wait4 in the parent waits for
# the last one to go and then fails with ECHILD.
        .include "lib.S"
main:
        lea sa_buf(%rip), %rsi
        movq $1, (%rsi)
        movq $SA_RESTORER, 8(%rsi)
        lea restorer(%rip), %rax
        mov %rax, 16(%rsi)
        movq $0, 24(%rsi)
        mov $SIGCHLD, %edi
        xor %edx, %edx
        mov $8, %r10d
        SYS SYS_rt_sigaction
        SYS SYS_fork
        test %rax, %rax
        jnz 1f
        lea ts(%rip), %rdi
        xor %esi, %esi
        SYS SYS_nanosleep
        EXIT 3
1:      mov $-1, %rdi
        xor %esi, %esi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_wait4
        OUT %rax
        EXIT 0

        .balign 8
ts:     .quad 0, 10000000
