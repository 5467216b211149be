//! Orbit's runtime paths make no heap allocation: id text → typed value (MIDs, RIDs, PIDs,
//! physical names), `as_str` and `Display`. Counted by a global allocator over every id of the
//! manifest (the project's `orbit.toml` by default; `ORBIT_BENCH_SIZE=l` for the large one).
//! Also here: the generated look-ups find every declared id and reject near misses.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt::Write;

use orbit_bench::{ids, peers};

struct Counting;

thread_local! {
    /// Heap allocations made by this thread (tests run on their own threads).
    static HEAP_ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the slot may be gone while the thread is being torn down.
    let _ = HEAP_ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
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

/// Runs `f` and returns how many heap allocations this thread made meanwhile.
fn heap_allocations(f: impl FnOnce()) -> usize {
    let before = HEAP_ALLOCATIONS.with(Cell::get);
    f();
    HEAP_ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn parse_as_str_and_display_make_no_heap_allocation() {
    let mut found = [0usize; 4];
    let n = heap_allocations(|| {
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
    assert_eq!(n, 0, "{n} heap allocations in parse/as_str/Display");
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
    // The counter works: a heap allocation is seen.
    assert_eq!(
        heap_allocations(|| drop(std::hint::black_box(String::from("x")))),
        1
    );
}

#[test]
fn generated_look_ups_find_every_id_and_nothing_else() {
    for (i, s) in peers::MIDS.iter().enumerate() {
        assert_eq!(
            s.parse::<ids::Microservice>(),
            Ok(ids::Microservice::ALL[i])
        );
    }
    for (i, s) in peers::RIDS.iter().enumerate() {
        assert_eq!(s.parse::<ids::Resource>(), Ok(ids::Resource::ALL[i]));
    }
    for (i, s) in peers::PIDS.iter().enumerate() {
        assert_eq!(s.parse::<ids::Process>(), Ok(ids::Process::ALL[i]));
    }
    for (s, &(r, e)) in peers::PHYSICALS.iter().zip(peers::PHYSICAL_TO) {
        assert_eq!(
            ids::Resource::from_physical_name(s),
            Some((
                ids::Resource::ALL[r as usize],
                ids::Environment::ALL[e as usize]
            ))
        );
    }
    // Near misses: one byte more, one less, or one changed.
    let near = |s: &str| {
        let mut v = vec![format!("{s}0"), s[..s.len() - 1].to_string()];
        let mut b = s.as_bytes().to_vec();
        let last = b.len() - 1;
        b[last] = if b[last] == b'9' { b'8' } else { b'9' };
        v.push(String::from_utf8(b).unwrap());
        v
    };
    let set = |x: &[&'static str]| x.iter().copied().collect::<HashSet<&str>>();
    let (mids, rids, pids) = (set(peers::MIDS), set(peers::RIDS), set(peers::PIDS));
    let physicals = set(peers::PHYSICALS);
    // A sample of each kind: a miss is slow by design (the error names the nearest ids).
    let sample = |x: &'static [&'static str]| x.iter().step_by(x.len() / 100 + 1);
    for s in sample(peers::MIDS)
        .chain(sample(peers::RIDS))
        .chain(sample(peers::PIDS))
    {
        for t in near(s) {
            let declared = |x: &HashSet<&str>| x.contains(t.as_str());
            assert_eq!(
                t.parse::<ids::Microservice>().is_ok(),
                declared(&mids),
                "{t}"
            );
            assert_eq!(t.parse::<ids::Resource>().is_ok(), declared(&rids), "{t}");
            assert_eq!(t.parse::<ids::Process>().is_ok(), declared(&pids), "{t}");
        }
    }
    for s in peers::PHYSICALS {
        for t in near(s) {
            assert_eq!(
                ids::Resource::from_physical_name(&t).is_some(),
                physicals.contains(t.as_str()),
                "{t}"
            );
        }
    }
}
