//! Reading YAML within a budget: an alias counts every time it is used.
//!
//! serde_yaml bounds nesting (128 levels) and the number of alias uses (100
//! times the document's events), but not what the aliases expand to: a
//! 454 KB pack whose `unless:` list names one anchored 8 KB string 150,000
//! times is 1.18 GB of text once read, and a few thousand uses of an
//! anchored list of thousands of items is millions of nodes.
//!
//! [`from_str`] deserializes through a wrapper that counts each node the
//! YAML deserializer hands out, as the expanded document has it (an alias
//! once per use, with every node below it), and the bytes of every scalar,
//! and fails at the first node past the [`Budget`]. Counting happens as the
//! document is read, never after expanding it, so the work done and the
//! memory held are bounded by the budget whatever the aliases would expand
//! to; the document itself is parsed once.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

/// How large a YAML document may be once its aliases are expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Most nodes: scalars, sequences and mappings, keys included.
    pub nodes: usize,
    /// Most bytes of scalar text, keys included.
    pub text: usize,
}

/// Deserializes `text` (one YAML document) as a `T`, or fails at the first
/// node past `budget`; `what` names the document in that error ("rule
/// pack").
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    budget: Budget,
    what: &'static str,
) -> Result<T, serde_yaml::Error> {
    let meter = Meter {
        budget,
        nodes: Cell::new(0),
        text: Cell::new(0),
        what,
    };
    T::deserialize(Metered {
        de: serde_yaml::Deserializer::from_str(text),
        meter: &meter,
    })
}

/// Deserializes `text` with `seed`, as [`from_str`] does.
pub fn from_str_seed<'de, S: DeserializeSeed<'de>>(
    text: &'de str,
    budget: Budget,
    what: &'static str,
    seed: S,
) -> Result<S::Value, serde_yaml::Error> {
    let meter = Meter {
        budget,
        nodes: Cell::new(0),
        text: Cell::new(0),
        what,
    };
    seed.deserialize(Metered {
        de: serde_yaml::Deserializer::from_str(text),
        meter: &meter,
    })
}

/// What has been read so far.
struct Meter {
    budget: Budget,
    nodes: Cell<usize>,
    text: Cell<usize>,
    what: &'static str,
}

impl Meter {
    /// Counts one node holding `bytes` of scalar text.
    fn node<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let nodes = self.nodes.get() + 1;
        let text = self.text.get().saturating_add(bytes);
        self.nodes.set(nodes);
        self.text.set(text);
        if nodes > self.budget.nodes {
            return Err(E::custom(format!(
                "{} is over its budget of {} YAML nodes, aliases counted each time they are used",
                self.what, self.budget.nodes
            )));
        }
        if text > self.budget.text {
            return Err(E::custom(format!(
                "{} is over its budget of {} bytes of YAML text, aliases counted each time they are used",
                self.what, self.budget.text
            )));
        }
        Ok(())
    }
}

/// A deserializer whose every node is counted.
struct Metered<'m, D> {
    de: D,
    meter: &'m Meter,
}

/// A visitor counting the node it is given before passing it on.
struct Counted<'m, V> {
    inner: V,
    meter: &'m Meter,
}

impl<'m, V> Counted<'m, V> {
    fn new(inner: V, meter: &'m Meter) -> Counted<'m, V> {
        Counted { inner, meter }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method(Counted::new(visitor, self.meter))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Metered<'_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de
            .deserialize_unit_struct(name, Counted::new(visitor, self.meter))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de
            .deserialize_newtype_struct(name, Counted::new(visitor, self.meter))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de
            .deserialize_tuple(len, Counted::new(visitor, self.meter))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de
            .deserialize_tuple_struct(name, len, Counted::new(visitor, self.meter))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de
            .deserialize_struct(name, fields, Counted::new(visitor, self.meter))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de
            .deserialize_enum(name, variants, Counted::new(visitor, self.meter))
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

macro_rules! count_scalar {
    ($($method:ident($ty:ty) => $bytes:expr;)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            #[allow(clippy::redundant_closure_call)]
            self.meter.node(($bytes)(&v))?;
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Counted<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    count_scalar! {
        visit_bool(bool) => |_: &bool| 0;
        visit_i8(i8) => |_: &i8| 0;
        visit_i16(i16) => |_: &i16| 0;
        visit_i32(i32) => |_: &i32| 0;
        visit_i64(i64) => |_: &i64| 0;
        visit_i128(i128) => |_: &i128| 0;
        visit_u8(u8) => |_: &u8| 0;
        visit_u16(u16) => |_: &u16| 0;
        visit_u32(u32) => |_: &u32| 0;
        visit_u64(u64) => |_: &u64| 0;
        visit_u128(u128) => |_: &u128| 0;
        visit_f32(f32) => |_: &f32| 0;
        visit_f64(f64) => |_: &f64| 0;
        visit_char(char) => |c: &char| c.len_utf8();
        visit_str(&str) => |s: &&str| s.len();
        visit_borrowed_str(&'de str) => |s: &&str| s.len();
        visit_string(String) => |s: &String| s.len();
        visit_bytes(&[u8]) => |b: &&[u8]| b.len();
        visit_borrowed_bytes(&'de [u8]) => |b: &&[u8]| b.len();
        visit_byte_buf(Vec<u8>) => |b: &Vec<u8>| b.len();
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.meter.node(0)?;
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.meter.node(0)?;
        self.inner.visit_unit()
    }

    // `Some` and a newtype wrap a node that is counted when it is read.
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Metered {
            de: d,
            meter: self.meter,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Metered {
            de: d,
            meter: self.meter,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.meter.node(0)?;
        self.inner.visit_seq(Access {
            inner: seq,
            meter: self.meter,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.meter.node(0)?;
        self.inner.visit_map(Access {
            inner: map,
            meter: self.meter,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.meter.node(0)?;
        self.inner.visit_enum(Access {
            inner: data,
            meter: self.meter,
        })
    }
}

/// A sequence, mapping, enum or variant whose nodes are counted.
struct Access<'m, A> {
    inner: A,
    meter: &'m Meter,
}

/// A seed whose deserializer is counted.
struct Seed<'m, S> {
    inner: S,
    meter: &'m Meter,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Metered {
            de: d,
            meter: self.meter,
        })
    }
}

impl<'m, A> Access<'m, A> {
    fn seed<S>(&self, inner: S) -> Seed<'m, S> {
        Seed {
            inner,
            meter: self.meter,
        }
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Access<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let seed = self.seed(seed);
        self.inner.next_element_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Access<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let seed = self.seed(seed);
        self.inner.next_key_seed(seed)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let seed = self.seed(seed);
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, 'm, A: EnumAccess<'de>> EnumAccess<'de> for Access<'m, A> {
    type Error = A::Error;
    type Variant = Access<'m, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let meter = self.meter;
        let seed = self.seed(seed);
        let (value, variant) = self.inner.variant_seed(seed)?;
        Ok((
            value,
            Access {
                inner: variant,
                meter,
            },
        ))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Access<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        let seed = self.seed(seed);
        self.inner.newtype_variant_seed(seed)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inner
            .tuple_variant(len, Counted::new(visitor, self.meter))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.inner
            .struct_variant(fields, Counted::new(visitor, self.meter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOMY: Budget = Budget {
        nodes: 1000,
        text: 1000,
    };

    fn nodes(text: &str) -> Result<serde_yaml::Value, String> {
        from_str(text, ROOMY, "test").map_err(|e| e.to_string())
    }

    #[test]
    fn reads_what_serde_yaml_reads() {
        let text = "a: [1, x, {b: c}]\nd: &d [e, f]\ng: *d\nh: !tag v\n";
        let plain: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(nodes(text).unwrap(), plain);
    }

    /// Each use of an alias counts its whole subtree: one list of ten
    /// items used 100 times is over a budget of 1000 nodes; written out
    /// once, it is not.
    #[test]
    fn aliases_count_each_time_they_are_used() {
        let items = format!("[{}]", ["x"; 10].join(", "));
        assert!(nodes(&format!("a: {items}\n")).is_ok());
        let uses = vec!["*a"; 100].join(", ");
        let e = nodes(&format!("a: &a {items}\nb: [{uses}]\n")).unwrap_err();
        assert!(
            e.contains("test is over its budget of 1000 YAML nodes, aliases counted each time they are used"),
            "{e}"
        );
        // Text: a 100-byte string used 20 times.
        let long = "y".repeat(100);
        let uses = vec!["*s"; 20].join(", ");
        let e = nodes(&format!("s: &s {long}\nt: [{uses}]\n")).unwrap_err();
        assert!(e.contains("budget of 1000 bytes of YAML text"), "{e}");
    }

    /// The count stops at the budget: a document that would expand to
    /// 10^10 nodes (ten levels of ten-fold lists) fails at once, and within
    /// serde_yaml's own limit on alias uses.
    #[test]
    fn counting_stops_at_the_budget() {
        let mut text = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let uses = vec![format!("*l{}", i - 1); 10].join(", ");
            text.push_str(&format!("l{i}: &l{i} [{uses}]\n"));
        }
        let start = std::time::Instant::now();
        let e = nodes(&text).unwrap_err();
        assert!(e.contains("budget of 1000 YAML nodes"), "{e}");
        assert!(start.elapsed().as_secs() < 2);
    }
}
