//! Customers who come back: after each purchase a customer buys again with some chance,
//! after a gamma-distributed gap (mean about two months), as real stores see.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub struct Customers {
    /// (day they are due to buy again, customer number)
    due: BinaryHeap<Reverse<(u32, u64)>>,
    next_id: u64,
    repeat_chance: f64,
}

impl Customers {
    pub fn new(repeat_chance: f64) -> Self {
        Customers {
            due: BinaryHeap::new(),
            next_id: 1,
            repeat_chance,
        }
    }

    /// The customer of an order placed on `day`: one who is due back, or a new one.
    pub fn next(&mut self, rng: &mut ChaCha8Rng, day: u32) -> u64 {
        let customer = match self.due.peek() {
            Some(Reverse((due, _))) if *due <= day && rng.random::<f64>() < 0.85 => {
                let Reverse((_, id)) = self.due.pop().expect("peeked");
                id
            }
            _ => {
                self.next_id += 1;
                self.next_id - 1
            }
        };
        if rng.random::<f64>() < self.repeat_chance {
            // Gamma(2, 30 days): the sum of two exponential gaps.
            let gap: f64 = (0..2)
                .map(|_| -30.0 * (1.0 - rng.random::<f64>()).ln())
                .sum();
            self.due.push(Reverse((day + 1 + gap as u32, customer)));
        }
        customer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn some_customers_come_back() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut customers = Customers::new(0.5);
        let mut seen = std::collections::HashMap::new();
        for day in 0..365 {
            for _ in 0..20 {
                *seen.entry(customers.next(&mut rng, day)).or_insert(0) += 1;
            }
        }
        let repeaters = seen.values().filter(|n| **n > 1).count();
        let share = repeaters as f64 / seen.len() as f64;
        assert!(
            share > 0.15 && share < 0.6,
            "share of repeat customers {share}"
        );
    }
}
