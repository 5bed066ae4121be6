# poll and select time out without file descriptors; select writes back the time left (0);
# ppoll with a temporary empty mask lets a blocked pending signal in: its handler runs, ppoll
# fails with EINTR, and the old mask is back.
        .include "lib.S"
main:
        xor %edi, %edi
        xor %esi, %esi
        mov $30, %edx
        SYS SYS_poll
        OUT %rax
        xor %edi, %edi
        xor %esi, %esi
        xor %edx, %edx
        xor %r10d, %r10d
        lea tv(%rip), %r8
        SYS SYS_select
        OUT %rax
        OUT tv+8(%rip)

        SIGACTION SIGUSR1, handler, SA_RESTART
        xor %edi, %edi
        lea usr1(%rip), %rsi
        xor %edx, %edx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        SYS SYS_getpid
        mov %rax, %rdi
        mov $SIGUSR1, %esi
        SYS SYS_kill
        xor %edi, %edi
        xor %esi, %esi
        lea ts(%rip), %rdx
        lea empty(%rip), %r10
        mov $8, %r8d
        SYS SYS_ppoll
        OUT %rax
        OUT handled(%rip)
        xor %edi, %edi
        xor %esi, %esi
        lea mask(%rip), %rdx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        OUT mask(%rip)
        EXIT 0

handler:
        incq handled(%rip)
        ret

        .balign 8
handled: .quad 0
tv:     .quad 0, 10000
ts:     .quad 5, 0
usr1:   .quad 1 << (SIGUSR1 - 1)
empty:  .quad 0
mask:   .quad -1
