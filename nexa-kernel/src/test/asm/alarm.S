# ITIMER_REAL delivers SIGALRM to a process waiting in rt_sigsuspend (SIGALRM is blocked until
# then, so the 20 ms timer cannot fire early), which returns EINTR; alarm() reports the seconds
# left of the previous alarm.
        .include "lib.S"
main:
        SIGACTION SIGALRM, handler, 0
        xor %edi, %edi
        lea alrm(%rip), %rsi
        xor %edx, %edx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        xor %edi, %edi
        lea itv(%rip), %rsi
        xor %edx, %edx
        SYS SYS_setitimer
        OUT %rax
        lea empty(%rip), %rdi
        mov $8, %esi
        SYS SYS_rt_sigsuspend
        OUT %rax
        OUT handled(%rip)
        mov $100, %edi
        SYS SYS_alarm
        OUT %rax
        xor %edi, %edi
        SYS SYS_alarm
        OUT %rax
        EXIT 0

handler:
        incq handled(%rip)
        ret

        .balign 8
handled: .quad 0
itv:    .quad 0, 0, 0, 20000
alrm:   .quad 1 << (SIGALRM - 1)
empty:  .quad 0
