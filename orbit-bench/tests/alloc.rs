//! Orbit's runtime paths allocate nothing: id text → typed value (MIDs, RIDs, PIDs, physical
//! names), `as_str` and `Display`. Counted by a global allocator over every id of the manifest
//! (the project's `orbit.toml` by default; `ORBIT_BENCH_SIZE=l` for the large one).

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use orbit_bench::{ids, peers};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
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

/// Runs `f` and returns how many allocations it made. Tests in this file run one at a time
/// (a single `#[test]`), so the count is `f`'s own.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
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
