# A thread made by clone as glibc's pthread_create does it (CLONE_VM|FS|FILES|SIGHAND|THREAD|
# SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID): it reads its FS base, sets a word and wakes the
# main thread blocked in FUTEX_WAIT on it, then exits; the main thread joins on the tid word the
# kernel clears. Also FUTEX_WAIT with a stale value (EAGAIN) and with a timeout (ETIMEDOUT).
        .include "lib.S"
        .set CLONE_THREAD_FLAGS, 0x3d0f00
        .set FUTEX_WAIT_PRIVATE, 0x80
        .set FUTEX_WAKE_PRIVATE, 0x81
main:
        lea word(%rip), %rdi
        mov $FUTEX_WAIT_PRIVATE, %esi
        mov $99, %edx
        xor %r10d, %r10d
        SYS SYS_futex
        OUT %rax
        lea word(%rip), %rdi
        mov $FUTEX_WAIT_PRIVATE, %esi
        xor %edx, %edx
        lea tenms(%rip), %r10
        SYS SYS_futex
        OUT %rax

        mov $CLONE_THREAD_FLAGS, %edi
        mov $(SCRATCH + 0x10000), %rsi
        lea ptid(%rip), %rdx
        lea ctid(%rip), %r10
        mov $0x123000, %r8
        SYS SYS_clone
        test %rax, %rax
        jz thread
        mov %rax, %r12
wait:   movl word(%rip), %eax
        test %eax, %eax
        jnz join
        lea word(%rip), %rdi
        mov $FUTEX_WAIT_PRIVATE, %esi
        xor %edx, %edx
        xor %r10d, %r10d
        SYS SYS_futex
        OUT %rax
        jmp wait
join:   movl ctid(%rip), %edx
        test %edx, %edx
        jz joined
        lea ctid(%rip), %rdi
        xor %esi, %esi
        xor %r10d, %r10d
        SYS SYS_futex
        jmp join
joined: movslq ptid(%rip), %rax
        sub %r12, %rax
        OUT %rax
        OUT tidseen(%rip)
        EXIT 0

thread:
        SYS SYS_gettid
        movslq ptid(%rip), %rcx
        sub %rcx, %rax
        mov %rax, tidseen(%rip)
        mov $0x1003, %edi
        lea fs(%rip), %rsi
        mov $158, %eax
        syscall
        OUT fs(%rip)
        movl $1, word(%rip)
        lea word(%rip), %rdi
        mov $FUTEX_WAKE_PRIVATE, %esi
        mov $1, %edx
        SYS SYS_futex
        OUT %rax
        xor %edi, %edi
        SYS SYS_exit

        .balign 8
word:   .long 0, 0
ptid:   .long 0, 0
ctid:   .long -1, 0
fs:     .quad 0
tidseen: .quad -1
tenms:  .quad 0, 10000000
