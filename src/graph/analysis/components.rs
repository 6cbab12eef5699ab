//! Connected components: weak ones by breadth-first search, strong ones by
//! Tarjan's algorithm without recursion.

use serde::Serialize;

use crate::graph::{Graph, Neighbours, Node};

/// Connected components.
#[derive(Debug, Clone, Serialize)]
pub struct Components {
    /// Weakly connected components (linked by arcs in either direction).
    pub weak: u32,
    /// People in the largest weakly connected component.
    pub largest_weak: u32,
    /// Strongly connected components (everyone reaches everyone along
    /// arcs); the same as the weak ones when every follow is mutual.
    pub strong: u32,
    /// People in the largest strongly connected component.
    pub largest_strong: u32,
}

/// Count and largest size of a partition into components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentSizes {
    pub count: u32,
    pub largest: u32,
}

fn sizes(component: &[u32], count: u32) -> ComponentSizes {
    let mut size = vec![0u32; count as usize];
    for &c in component {
        size[c as usize] += 1;
    }
    ComponentSizes {
        count,
        largest: size.into_iter().max().unwrap_or(0),
    }
}

/// Weakly connected components by breadth-first search over the undirected
/// view: count and largest size.
pub fn weak_components(neighbours: &Neighbours) -> ComponentSizes {
    let (component, count) = weak_component_of(neighbours);
    sizes(&component, count)
}

/// Each person's weakly connected component (numbered from 0 in order of
/// their smallest member), and the number of components.
pub fn weak_component_of(neighbours: &Neighbours) -> (Vec<u32>, u32) {
    const NONE: u32 = u32::MAX;
    let n = neighbours.len();
    let mut component = vec![NONE; n];
    let mut queue: Vec<Node> = Vec::new();
    let mut count = 0u32;
    for root in 0..n {
        if component[root] != NONE {
            continue;
        }
        component[root] = count;
        queue.clear();
        queue.push(root as Node);
        let mut head = 0;
        while head < queue.len() {
            let v = queue[head];
            head += 1;
            for &w in neighbours.of(v) {
                if component[w as usize] == NONE {
                    component[w as usize] = count;
                    queue.push(w);
                }
            }
        }
        count += 1;
    }
    (component, count)
}

/// Strongly connected components: count and largest size.
pub fn strong_components(graph: &Graph) -> ComponentSizes {
    let (component, count) = strong_component_of(graph);
    sizes(&component, count)
}

/// Each person's strongly connected component, and the number of
/// components, by Tarjan's algorithm (SIAM J. Comput. 1, 146 (1972)) with an
/// explicit stack instead of recursion, as graphs run to millions of people
/// and paths as long. Components are numbered in the order Tarjan completes
/// them (reverse topological order of the condensation).
pub fn strong_component_of(graph: &Graph) -> (Vec<u32>, u32) {
    tarjan(graph, |_| true)
}

/// Tarjan over the arcs whose id passes `keep`.
pub(super) fn tarjan(graph: &Graph, keep: impl Fn(usize) -> bool) -> (Vec<u32>, u32) {
    const NONE: u32 = u32::MAX;
    let n = graph.nodes() as usize;
    let targets = graph.targets();
    // index[v]: order of discovery; low[v]: smallest index reachable from
    // v's search subtree through one arc to a person still on the stack.
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    // A person is on the stack while discovered and not yet in a component.
    let mut component = vec![NONE; n];
    let mut stack: Vec<Node> = Vec::new();
    // The search path: a person and the next of their arcs to follow.
    let mut path: Vec<(Node, usize)> = Vec::new();
    let mut discovered = 0u32;
    let mut count = 0u32;
    for root in 0..graph.nodes() {
        if index[root as usize] != NONE {
            continue;
        }
        index[root as usize] = discovered;
        low[root as usize] = discovered;
        discovered += 1;
        stack.push(root);
        path.push((root, graph.arc_range(root).start));
        while let Some(top) = path.last_mut() {
            let v = top.0;
            if top.1 < graph.arc_range(v).end {
                let a = top.1;
                top.1 += 1;
                if !keep(a) {
                    continue;
                }
                let w = targets[a];
                if index[w as usize] == NONE {
                    index[w as usize] = discovered;
                    low[w as usize] = discovered;
                    discovered += 1;
                    stack.push(w);
                    path.push((w, graph.arc_range(w).start));
                } else if component[w as usize] == NONE {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                loop {
                    let w = stack.pop().expect("v is on the stack");
                    component[w as usize] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    (component, count)
}
