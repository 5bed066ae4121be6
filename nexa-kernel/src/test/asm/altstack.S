# sigaltstack + SA_ONSTACK: the handler runs on the alternate stack and sigaltstack reports
# SS_ONSTACK inside it; afterwards the stack is still registered and not in use.
        .include "lib.S"
main:
        lea ss(%rip), %rdi
        xor %esi, %esi
        SYS SYS_sigaltstack
        OUT %rax
        SIGACTION SIGUSR1, handler, SA_ONSTACK
        SYS SYS_getpid
        mov %rax, %rdi
        mov $SIGUSR1, %esi
        SYS SYS_kill
        OUT onalt(%rip)
        OUT inflags(%rip)
        xor %edi, %edi
        lea old(%rip), %rsi
        SYS SYS_sigaltstack
        OUT old(%rip)
        OUT old+8(%rip)
        OUT old+16(%rip)
        EXIT 0

handler:
        mov %rsp, %rax
        sub $SCRATCH, %rax
        cmp $0x10000, %rax
        setb %al
        movzbl %al, %eax
        mov %rax, onalt(%rip)
        xor %edi, %edi
        lea old(%rip), %rsi
        SYS SYS_sigaltstack
        movslq old+8(%rip), %rax
        mov %rax, inflags(%rip)
        ret

        .balign 8
ss:     .quad SCRATCH, 0, 0x10000
old:    .quad 0, 0, 0
onalt:  .quad -1
inflags: .quad -1
