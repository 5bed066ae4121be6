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
            case XLAT -> Moves.xlat(c, i);
            case MOV_SREG -> Moves.movFromSegment(c, i);
            case BSWAP -> Bits.bswap(c, i);
            case MOVBE -> Bits.movbe(c, i);
            case XADD -> Atomics.xadd(c, i);
            case CMPXCHG -> Atomics.cmpxchg(c, i);
            case CMPXCHG8B -> Atomics.cmpxchg8b(c, i);
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
            case MUL -> MulDiv.mul(c, i);
            case IMUL1 -> MulDiv.imul1(c, i);
            case IMUL -> MulDiv.imul(c, i);
            case DIV -> MulDiv.div(c, i);
            case IDIV -> MulDiv.idiv(c, i);

            case ROL -> Shifts.shift(c, i, Shifts.ROL);
            case ROR -> Shifts.shift(c, i, Shifts.ROR);
            case RCL -> Shifts.shift(c, i, Shifts.RCL);
            case RCR -> Shifts.shift(c, i, Shifts.RCR);
            case SHL -> Shifts.shift(c, i, Shifts.SHL);
            case SHR -> Shifts.shift(c, i, Shifts.SHR);
            case SAR -> Shifts.shift(c, i, Shifts.SAR);
            case SHLD -> Shifts.doubleShift(c, i, true);
            case SHRD -> Shifts.doubleShift(c, i, false);

            case BT -> Bits.bt(c, i, Bits.BT);
            case BTS -> Bits.bt(c, i, Bits.BTS);
            case BTR -> Bits.bt(c, i, Bits.BTR);
            case BTC -> Bits.bt(c, i, Bits.BTC);
            case BSF -> Bits.bitScan(c, i, false);
            case BSR -> Bits.bitScan(c, i, true);
            case POPCNT -> Bits.popcnt(c, i);
            case LZCNT -> Bits.zeroCount(c, i, true);
            case TZCNT -> Bits.zeroCount(c, i, false);

            case ANDN -> Bmi.andn(c, i);
            case BEXTR -> Bmi.bextr(c, i);
            case BLSI -> Bmi.blsx(c, i, Bmi.BLSI);
            case BLSMSK -> Bmi.blsx(c, i, Bmi.BLSMSK);
            case BLSR -> Bmi.blsx(c, i, Bmi.BLSR);
            case BZHI -> Bmi.bzhi(c, i);
            case PDEP -> Bmi.pdep(c, i);
            case PEXT -> Bmi.pext(c, i);
            case RORX -> Bmi.rorx(c, i);
            case SHLX -> Bmi.shiftx(c, i, Bmi.SHLX);
            case SHRX -> Bmi.shiftx(c, i, Bmi.SHRX);
            case SARX -> Bmi.shiftx(c, i, Bmi.SARX);
            case MULX -> Bmi.mulx(c, i);
            case ADCX -> Bmi.adcox(c, i, false);
            case ADOX -> Bmi.adcox(c, i, true);
            case CRC32 -> Bmi.crc32(c, i);

            case MOVS -> Strings.movs(c, i);
            case CMPS -> Strings.cmps(c, i);
            case STOS -> Strings.stos(c, i);
            case LODS -> Strings.lods(c, i);
            case SCAS -> Strings.scas(c, i);

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
            case NOP -> Moves.nop(c, i);
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
