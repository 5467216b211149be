// A resource where a microservice is expected does not compile.
use orbit_core::ids::*;

fn owner_of(service: Microservice) -> &'static str {
    service.name()
}

fn main() {
    owner_of(C20BRE06);
}
