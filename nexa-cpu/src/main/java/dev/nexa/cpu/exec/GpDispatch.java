package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/** Dispatches the general-purpose operations to their handlers. */
final class GpDispatch {
    private GpDispatch() {}

    static void exec(CpuCore c, Insn i) {
        switch (i.op()) {
            case MOV -> Moves.mov(c, i);
            case MOVZX -> Moves.movzx(c, i);
            case MOVSX, MOVSXD -> Moves.movsx(c, i);
            case LEA -> Moves.lea(c, i);
            case XCHG -> Moves.xchg(c, i);
            case CMOVCC -> Moves.cmov(c, i);
            case SETCC -> Moves.setcc(c, i);
            case CBW -> Moves.cbw(c, i);
            case CWD -> Moves.cwd(c, i);
            case LAHF -> Moves.lahf(c);
            case SAHF -> Moves.sahf(c);
            case PUSH -> Stack.push(c, i);
            case POP -> Stack.pop(c, i);
            case PUSHF -> Stack.pushf(c, i);
            case POPF -> Stack.popf(c, i);
            case ENTER -> Stack.enter(c, i);
            case LEAVE -> Stack.leave(c, i);

            case ADD -> Alu.binary(c, i, Alu.ADD);
            case OR -> Alu.binary(c, i, Alu.OR);
            case ADC -> Alu.binary(c, i, Alu.ADC);
            case SBB -> Alu.binary(c, i, Alu.SBB);
            case AND -> Alu.binary(c, i, Alu.AND);
            case SUB -> Alu.binary(c, i, Alu.SUB);
            case XOR -> Alu.binary(c, i, Alu.XOR);
            case CMP -> Alu.binary(c, i, Alu.CMP);
            case TEST -> Alu.binary(c, i, Alu.TEST);
            case INC -> Alu.incDec(c, i, true);
            case DEC -> Alu.incDec(c, i, false);
            case NEG -> Alu.neg(c, i);
            case NOT -> Alu.not(c, i);

            case JMP -> Branches.jmp(c, i);
            case JMP_IND -> Branches.jmpIndirect(c, i);
            case JCC -> Branches.jcc(c, i);
            case JRCXZ -> Branches.jrcxz(c, i);
            case LOOP -> Branches.loop(c, i, 0);
            case LOOPE -> Branches.loop(c, i, 1);
            case LOOPNE -> Branches.loop(c, i, 2);
            case CALL -> Branches.call(c, i);
            case CALL_IND -> Branches.callIndirect(c, i);
            case RET -> Branches.ret(c, i);

            case CLC -> SystemOps.setCarry(c, 0);
            case STC -> SystemOps.setCarry(c, 1);
            case CMC -> SystemOps.setCarry(c, 2);
            case CLD -> SystemOps.setDirection(c, false);
            case STD -> SystemOps.setDirection(c, true);
            case SYSCALL -> SystemOps.syscall(c);
            case CPUID -> Cpuid.execute(c);
            case RDTSC -> SystemOps.rdtsc(c);
            case RDTSCP -> SystemOps.rdtscp(c);
            case NOP -> Moves.nop90(c, i);
            case PAUSE, FENCE, PREFETCH -> { }
            case CLFLUSH -> c.load(c.ea(i), 1);      // faults like a load; caches are not modelled
            case RDFSBASE -> SystemOps.fsgsbase(c, i, false, false);
            case RDGSBASE -> SystemOps.fsgsbase(c, i, true, false);
            case WRFSBASE -> SystemOps.fsgsbase(c, i, false, true);
            case WRGSBASE -> SystemOps.fsgsbase(c, i, true, true);
            case PRIVILEGED -> throw GuestFault.generalProtection();
            case INT3 -> throw GuestFault.breakpoint();
            case INT -> throw GuestFault.softwareInterrupt((int) (i.imm() & 0xFF));
            default -> throw GuestFault.invalidOpcode();
        }
    }
}
