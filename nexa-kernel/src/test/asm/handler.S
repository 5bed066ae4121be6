# A SA_SIGINFO handler for kill(getpid(), SIGUSR1): its arguments, siginfo, stack alignment and
# mask; it edits r12 in the saved context and clobbers callee-saved registers, which
# rt_sigreturn must restore.
        .include "lib.S"
main:
        SIGACTION SIGUSR1, handler, SA_SIGINFO
        OUT %rax
        mov $0x1111, %ebx
        mov $0x2222, %ebp
        mov $0x1212, %r12d
        mov $0x1313, %r13d
        mov $0x1414, %r14d
        mov $0x1515, %r15d
        SYS SYS_getpid
        mov %rax, %rdi
        mov $SIGUSR1, %esi
        SYS SYS_kill
        OUT %rax
        OUT %rbx
        OUT %rbp
        OUT %r12
        OUT %r13
        OUT %r14
        OUT %r15
        OUT handled(%rip)
        # the mask is back to empty after the handler
        xor %edi, %edi
        xor %esi, %esi
        lea mask(%rip), %rdx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        OUT mask(%rip)
        EXIT 0

handler:
        mov %rsp, %rax
        and $15, %rax
        mov %rax, align(%rip)
        mov %rdx, %r12
        OUT %rdi
        movslq (%rsi), %rax
        OUT %rax
        movslq 8(%rsi), %rax
        OUT %rax
        movslq 16(%rsi), %rax
        OUT %rax
        OUT align(%rip)
        xor %edi, %edi
        xor %esi, %esi
        lea mask(%rip), %rdx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        OUT mask(%rip)
        movq $0x7777, 72(%r12)
        xor %ebx, %ebx
        xor %ebp, %ebp
        mov $-1, %r13
        incq handled(%rip)
        ret

        .balign 8
handled: .quad 0
align:  .quad 0
mask:   .quad 0
