//! Orbit's runtime paths allocate nothing: id text → typed value (MIDs, RIDs, PIDs, physical
//! names), `as_str` and `Display`. Counted by a global allocator over every id of the manifest
//! (the project's `orbit.toml` by default; `ORBIT_BENCH_SIZE=l` for the large one).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write;

use orbit_bench::{ids, peers};

struct Counting;

thread_local! {
    /// Allocations made by this thread (tests run on their own threads).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the slot may be gone while the thread is being torn down.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

struct Sink(usize);
impl Write for Sink {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Runs `f` and returns how many allocations this thread made meanwhile.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn parse_as_str_and_display_allocate_nothing() {
    let mut found = [0usize; 4];
    let n = allocations(|| {
        for s in peers::MIDS {
            let m: ids::Microservice = s.parse().unwrap_or_else(|_| std::process::abort());
            found[0] += usize::from(m.as_str() == *s);
        }
        for s in peers::RIDS {
            let r: ids::Resource = s.parse().unwrap_or_else(|_| std::process::abort());
            found[1] += usize::from(r.as_str() == *s);
        }
        for s in peers::PIDS {
            let p: ids::Process = s.parse().unwrap_or_else(|_| std::process::abort());
            found[2] += usize::from(p.as_str() == *s);
        }
        for s in peers::PHYSICALS {
            if let Some((r, env)) = ids::Resource::from_physical_name(s) {
                found[3] += usize::from(r.physical_name(env) == *s);
            }
        }
        let mut sink = Sink(0);
        for m in ids::Microservice::ALL {
            let _ = write!(sink, "{m}");
        }
        for p in ids::Process::ALL {
            let _ = write!(sink, "{p}");
        }
        for r in ids::Resource::ALL {
            let _ = write!(sink, "{r}");
        }
        assert!(sink.0 > 0);
    });
    assert_eq!(n, 0, "{n} allocations in parse/as_str/Display");
    assert_eq!(
        found,
        [
            peers::MIDS.len(),
            peers::RIDS.len(),
            peers::PIDS.len(),
            peers::PHYSICALS.len()
        ],
        "every id parses to itself"
    );
    // The counter works: an allocation is seen.
    assert_eq!(
        allocations(|| drop(std::hint::black_box(String::from("x")))),
        1
    );
}

#[test]
fn the_prototype_key_tables_find_every_id() {
    for (i, s) in peers::MIDS.iter().enumerate() {
        assert_eq!(orbit_bench::proto::mid(s), Some(i as u32), "{s}");
    }
    for (i, s) in peers::RIDS.iter().enumerate() {
        assert_eq!(orbit_bench::proto::rid(s), Some(i as u32), "{s}");
    }
    for (i, s) in peers::PIDS.iter().enumerate() {
        assert_eq!(orbit_bench::proto::pid(s), Some(i as u32), "{s}");
    }
    assert_eq!(orbit_bench::proto::mid("c4fms999"), None);
    assert_eq!(orbit_bench::proto::pid("c8fms03-c20bre06-e995"), None);
}
