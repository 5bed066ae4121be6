# A SIGSEGV handler for a load from 0x1008: siginfo and sigcontext (rip, trapno, err, cr2); it
# resumes after the 8-byte load with rax = 0x5eed. Then the same fault with SIGSEGV blocked
# kills the process (the kernel unblocks and resets a forced signal).
        .include "lib.S"
main:
        SIGACTION SIGSEGV, handler, SA_SIGINFO
        xor %eax, %eax
fault1: movq 0x1008, %rax
        OUT %rax
        lea set(%rip), %rsi
        xor %edi, %edi
        xor %edx, %edx
        mov $8, %r10d
        SYS SYS_rt_sigprocmask
        movq 0x1008, %rax
        EXIT 0

handler:
        mov %rdx, %r12
        OUT %rdi
        movslq 8(%rsi), %rax
        OUT %rax
        OUT 16(%rsi)
        mov 168(%r12), %rax
        lea fault1(%rip), %rcx
        sub %rcx, %rax
        OUT %rax
        OUT 200(%r12)
        OUT 192(%r12)
        OUT 216(%r12)
        addq $8, 168(%r12)
        movq $0x5eed, 144(%r12)
        ret

        .balign 8
set:    .quad 1 << (SIGSEGV - 1)
