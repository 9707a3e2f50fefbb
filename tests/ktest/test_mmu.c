/* Memory protection as promised: W^X for the kernel image, device memory
 * typed as Device-nGnRE, stack guards unmapped, MMU on everywhere. */
#include "ktest.h"
#include "console.h"
#include "mmu.h"
#include "smp.h"
#include "asm/stack.h"
#include "asm/sysreg.h"

#define EC(esr) (((esr) >> 26) & 0x3f)
#define FSC(esr) ((esr) & 0x3f)
#define PAR_FAULT 1UL
#define PAR_ATTR(par) ((par) >> 56)

static void sctlr_of(void *arg)
{
	((u64 *)arg)[smp_processor_id()] = read_sysreg(sctlr_el1);
}

static void mmu_and_caches_on_every_cpu(struct ktest *t)
{
	static u64 sctlr[NR_CPUS];
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		smp_call_function_single(cpu, sctlr_of, sctlr, true);
		KT_EXPECT_EQ(t, sctlr[cpu] & (SCTLR_M | SCTLR_C | SCTLR_I), SCTLR_M | SCTLR_C | SCTLR_I);
	}
}

static void write_to(void *addr)
{
	*(volatile u32 *)addr = 0;
}

static void text_is_read_only(struct ktest *t)
{
	u64 esr = ktest_expect_fault(write_to, (void *)write_to);

	KT_EXPECT_EQ(t, EC(esr), 0x25);			/* data abort */
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, 0x0c);		/* permission fault */
}

static u32 data_code[4] __aligned(16);

static void jump_to(void *addr)
{
	((void (*)(void))addr)();
}

static void data_is_not_executable(struct ktest *t)
{
	u64 esr;

	data_code[0] = 0xd65f03c0;	/* ret */
	esr = ktest_expect_fault(jump_to, data_code);
	KT_EXPECT_EQ(t, EC(esr), 0x21);			/* instruction abort */
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, 0x0c);
}

static void read_from(void *addr)
{
	(void)*(volatile u32 *)addr;
}

static void stack_guard_is_unmapped(struct ktest *t)
{
	u64 sp = (u64)__builtin_frame_address(0);
	u64 guard = stack_base_of(sp) - 8;
	u64 esr;

	KT_EXPECT(t, mmu_probe(guard, false) & PAR_FAULT);
	esr = ktest_expect_fault(read_from, (void *)guard);
	KT_EXPECT_EQ(t, EC(esr), 0x25);
	KT_EXPECT_EQ(t, FSC(esr) & 0x3c, 0x04);		/* translation fault */
}

static void memory_types(struct ktest *t)
{
	u64 base, size, par;

	console_region(&base, &size);
	par = mmu_probe(base, false);
	KT_ASSERT(t, !(par & PAR_FAULT));
	KT_EXPECT_EQ(t, PAR_ATTR(par), 0x04);		/* Device-nGnRE */
	par = mmu_probe((u64)data_code, true);
	KT_ASSERT(t, !(par & PAR_FAULT));
	KT_EXPECT_EQ(t, PAR_ATTR(par), 0xff);		/* Normal, write-back */
	KT_EXPECT_EQ(t, (par >> 7) & 3, 3);		/* inner shareable */
}

static void all_ram_is_mapped(struct ktest *t)
{
	for (int i = 0; i < nr_mem_regions; i++) {
		u64 first = mem_regions[i].base, last = first + mem_regions[i].size - 8;

		KT_EXPECT(t, !(mmu_probe(first, false) & PAR_FAULT));
		KT_EXPECT(t, !(mmu_probe(last, false) & PAR_FAULT));
	}
}

KTEST_SUITE(mmu,
	KTEST_CASE(mmu_and_caches_on_every_cpu),
	KTEST_CASE(text_is_read_only),
	KTEST_CASE(data_is_not_executable),
	KTEST_CASE(stack_guard_is_unmapped),
	KTEST_CASE(memory_types),
	KTEST_CASE(all_ram_is_mapped));
