//! Parsing a well-formed id makes no heap allocation: runtime conversions of id text into typed
//! values (the generated `FromStr` impls build on these parsers) stay free of heap allocations,
//! counted by a global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use orbit_engine::id::{ComponentId, FlowId, Mid, PhysicalName, Pid, RepositoryName, Rid};

struct Counting;

thread_local! {
    // Per thread, so tests running in parallel do not count each other's heap allocations.
    static HEAP_ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = HEAP_ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result and how many heap allocations this thread made meanwhile.
fn heap_allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = HEAP_ALLOCATIONS.with(Cell::get);
    let out = f();
    (out, HEAP_ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn each_parser_makes_no_heap_allocation() {
    type Check = (&'static str, fn() -> bool);
    let checks: [Check; 8] = [
        ("mid", || "c8bms18".parse::<Mid>().is_ok()),
        ("rid", || "c20bre06".parse::<Rid>().is_ok()),
        ("pid", || "c8fms03-c20bre06-e15".parse::<Pid>().is_ok()),
        ("flow", || "flow-16".parse::<FlowId>().is_ok()),
        ("component", || "c20".parse::<ComponentId>().is_ok()),
        ("dynamodb", || {
            PhysicalName::parse("user-input-manifest-data-1606-tbl-k8d-aws").is_ok()
        }),
        ("mysql", || {
            PhysicalName::parse("app_image_mql_2003_dtb_k8p_aws").is_ok()
        }),
        ("repository", || {
            RepositoryName::parse("flow-4-infrastructure-rep-k8d-aws").is_ok()
        }),
    ];
    for (what, f) in checks {
        let (ok, n) = heap_allocations(f);
        assert!(ok, "{what} did not parse");
        assert_eq!(n, 0, "parsing a {what} made {n} heap allocations");
    }
}

#[test]
fn parsing_well_formed_ids_makes_no_heap_allocation() {
    let (ok, n) = heap_allocations(|| {
        "c8bms18".parse::<Mid>().is_ok()
            && "c20bre06".parse::<Rid>().is_ok()
            && "c8fms03-c20bre06-e15".parse::<Pid>().is_ok()
            && "flow-16".parse::<FlowId>().is_ok()
            && "c20".parse::<ComponentId>().is_ok()
            && PhysicalName::parse("user-input-manifest-data-1606-tbl-k8d-aws").is_ok()
            && PhysicalName::parse("app_image_mql_2003_dtb_k8p_aws").is_ok()
            && RepositoryName::parse("flow-4-infrastructure-rep-k8d-aws").is_ok()
    });
    assert!(ok);
    assert_eq!(n, 0, "parsing well-formed ids made {n} heap allocations");
}
