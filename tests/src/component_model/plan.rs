//! From a reference-test script to a plan: the tested component definitions, the *slots*
//! (one per instantiation of a definition, in script order, each with the calls the
//! directives make on it), and one [`Check`] per directive saying how it is judged.
//!
//! - `(component …)` defines and instantiates; `(component definition $D …)` only defines
//!   (judged by smelt's validator); `(component instance $i $D)` instantiates. Invocations
//!   go to the latest instance (the scripts never name one).
//! - `assert_return`, `assert_trap` and bare `invoke` become calls, made by a generated
//!   driver (see [`super::driver`]).
//! - `assert_invalid` and `assert_malformed` are decided here: they pass when smelt refuses
//!   the component while decoding or validating it.
//!
//! The plan does not depend on the target.

use super::values::{self, VTy, Val};
use crate::spec::exec::guarded;
use crate::spec::plan::{Outcome, directive_text};
use smelt::component::abi::Ty;
use smelt_contract::Trap;
use std::collections::HashMap;
use wasmparser::component_types::ComponentEntityType;
use wasmparser::types::Types;
use wast::{QuoteWat, QuoteWatTest, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// A tested component definition.
pub struct Definition {
    /// Line of the directive that defines it.
    pub line: usize,
    /// Its binary.
    pub bytes: Vec<u8>,
    /// The validator's types (wasmparser with every feature), for the runner's own use.
    pub types: Option<Types>,
    /// Why smelt refuses it, if it does.
    pub refused: Option<String>,
}

/// What a call must do.
#[derive(Clone, Debug)]
pub enum Expect {
    /// Return this (`None`: nothing).
    Value(Option<Val>),
    /// Trap with this message; the smelt traps that mean it (none: smelt has no such trap).
    Trap(String, Vec<Trap>),
    /// Return anything (a bare `invoke`).
    Completes,
}

/// A call a directive makes on a slot.
#[derive(Clone, Debug)]
pub struct Call {
    /// The directive's check.
    pub check: usize,
    /// The export called.
    pub export: String,
    /// Its parameter types.
    pub params: Vec<Ty>,
    /// Its result type.
    pub result: Option<Ty>,
    /// The arguments.
    pub args: Vec<Val>,
    /// The expected outcome.
    pub expect: Expect,
}

/// One instantiation of a definition.
pub struct Slot {
    /// The definition.
    pub def: usize,
    /// The directive's check.
    pub check: usize,
    /// The calls made on it, in order.
    pub calls: Vec<Call>,
}

/// How a directive is judged.
#[derive(Clone, Debug)]
pub enum Judge {
    /// Already decided.
    Decided(Outcome),
    /// By the instantiation of this slot.
    Instantiate(usize),
    /// By call `call` of slot `slot`.
    Call { slot: usize, call: usize },
}

/// One directive and how it is judged.
#[derive(Clone, Debug)]
pub struct Check {
    /// 1-based line.
    pub line: usize,
    /// Source text, shortened.
    pub text: String,
    /// How it is judged.
    pub judge: Judge,
}

/// The plan of one script.
#[derive(Default)]
pub struct Plan {
    /// Tested definitions.
    pub defs: Vec<Definition>,
    /// Instantiations, in order.
    pub slots: Vec<Slot>,
    /// One per directive.
    pub checks: Vec<Check>,
}

/// Plans the script `text` (named `file` in messages).
pub fn plan(file: &str, text: &str) -> Plan {
    let mut p = Planner {
        file,
        text,
        plan: Plan::default(),
        defs_by_name: HashMap::new(),
        current: None,
    };
    let unparsable = |mut p: Planner<'_>, mut e: wast::Error| {
        e.set_text(text);
        let why = format!("runner: cannot parse the script: {e}");
        p.plan.checks.push(Check {
            line: 1,
            text: file.into(),
            judge: fail(why),
        });
        p.plan
    };
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match wast::parser::ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => return unparsable(p, e),
    };
    let wast = match wast::parser::parse::<Wast<'_>>(&buf) {
        Ok(w) => w,
        Err(e) => return unparsable(p, e),
    };
    for directive in wast.directives {
        p.directive(directive);
    }
    p.plan
}

/// The state of the latest instance, or of a definition.
#[derive(Clone, Debug)]
enum State {
    /// A slot, or a definition.
    Live(usize),
    /// Unusable: why.
    Broken(String),
}

struct Planner<'t> {
    file: &'t str,
    text: &'t str,
    plan: Plan,
    defs_by_name: HashMap<String, State>,
    current: Option<State>,
}

fn fail(why: impl Into<String>) -> Judge {
    Judge::Decided(Outcome::Fail(why.into()))
}

impl Planner<'_> {
    fn push(&mut self, span: wast::token::Span, judge: Judge) -> usize {
        let line = span.linecol_in(self.text).0 + 1;
        self.plan.checks.push(Check {
            line,
            text: directive_text(self.text, span),
            judge,
        });
        self.plan.checks.len() - 1
    }

    fn directive(&mut self, directive: WastDirective<'_>) {
        let span = directive.span();
        match directive {
            WastDirective::Module(module) => {
                let name = module.name().map(|id| id.name().to_string());
                let check = self.push(span, fail(""));
                let state = match self.define(span, module) {
                    State::Live(def) => self.instantiate(def, check),
                    State::Broken(why) => {
                        self.plan.checks[check].judge = fail(why.clone());
                        State::Broken(why)
                    }
                };
                if let Some(name) = name {
                    self.defs_by_name.insert(name, state.clone());
                }
                self.current = Some(state);
            }
            WastDirective::ModuleDefinition(module) => {
                let name = module.name().map(|id| id.name().to_string());
                let state = self.define(span, module);
                let judge = match &state {
                    State::Live(def) => match &self.plan.defs[*def].refused {
                        None => Judge::Decided(Outcome::Pass),
                        Some(why) => fail(why.clone()),
                    },
                    State::Broken(why) => fail(why.clone()),
                };
                self.push(span, judge);
                if let Some(name) = name {
                    self.defs_by_name.insert(name, state);
                }
            }
            WastDirective::ModuleInstance { span, module, .. } => {
                let check = self.push(span, fail(""));
                let def = match module {
                    Some(id) => self.defs_by_name.get(id.name()).cloned(),
                    None => None,
                };
                let state = match def {
                    Some(State::Live(def)) => self.instantiate(def, check),
                    Some(State::Broken(why)) => {
                        self.plan.checks[check].judge = fail(why.clone());
                        State::Broken(why)
                    }
                    None => {
                        let why = "runner: no such component definition".to_string();
                        self.plan.checks[check].judge = fail(why.clone());
                        State::Broken(why)
                    }
                };
                self.current = Some(state);
            }
            WastDirective::Invoke(invoke) => {
                let check = self.push(span, fail(""));
                self.call(check, &invoke, |_| Ok(Expect::Completes));
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let check = self.push(span, fail(""));
                let WastExecute::Invoke(invoke) = exec else {
                    return self.decide(check, "runner: only `invoke` is supported here");
                };
                self.call(check, &invoke, |result| expected(result, &results));
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                let check = self.push(span, fail(""));
                let WastExecute::Invoke(invoke) = exec else {
                    return self.decide(check, "runner: only `invoke` is supported here");
                };
                let expect = Expect::Trap(message.to_string(), traps_for(message));
                self.call(check, &invoke, |_| Ok(expect.clone()));
            }
            WastDirective::AssertInvalid {
                module, message, ..
            }
            | WastDirective::AssertMalformed {
                module, message, ..
            } => {
                let outcome = must_not_compile(module, message);
                self.push(span, Judge::Decided(outcome));
            }
            other => {
                let what = format!("{other:?}");
                let what = what.split([' ', '(', '{']).next().unwrap_or("").to_string();
                self.push(span, fail(format!("runner: unsupported directive {what}")));
            }
        }
    }

    fn decide(&mut self, check: usize, why: &str) {
        self.plan.checks[check].judge = fail(why);
    }

    /// Encodes a component definition and records it.
    fn define(&mut self, span: wast::token::Span, mut module: QuoteWat<'_>) -> State {
        if matches!(
            module,
            QuoteWat::Wat(Wat::Module(_)) | QuoteWat::QuoteModule(..)
        ) {
            return State::Broken("runner: core modules as script directives".into());
        }
        let bytes = match module.encode() {
            Ok(b) => b,
            Err(e) => return State::Broken(format!("runner: cannot encode the component: {e}")),
        };
        let line = span.linecol_in(self.text).0 + 1;
        let name = format!("{}:{line}", self.file);
        let refused = smelt::validate::validate_component(&name, &bytes)
            .err()
            .map(|e| refusal(&bytes, &e));
        let types = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&bytes)
            .ok();
        self.plan.defs.push(Definition {
            line,
            bytes,
            types,
            refused,
        });
        State::Live(self.plan.defs.len() - 1)
    }

    /// A new slot instantiating definition `def`, judged by check `check`.
    fn instantiate(&mut self, def: usize, check: usize) -> State {
        if let Some(why) = &self.plan.defs[def].refused {
            let why = why.clone();
            self.plan.checks[check].judge = fail(why.clone());
            return State::Broken(why);
        }
        self.plan.slots.push(Slot {
            def,
            check,
            calls: Vec::new(),
        });
        let slot = self.plan.slots.len() - 1;
        self.plan.checks[check].judge = Judge::Instantiate(slot);
        State::Live(slot)
    }

    /// Plans a call of `invoke` on the latest instance for check `check`; `expect` turns
    /// the export's result type into the expectation.
    fn call(
        &mut self,
        check: usize,
        invoke: &WastInvoke<'_>,
        expect: impl FnOnce(Option<&VTy>) -> Result<Expect, String>,
    ) {
        let slot = match (&invoke.module, &self.current) {
            (Some(_), _) => return self.decide(check, "runner: invoking a named instance"),
            (None, Some(State::Live(slot))) => *slot,
            (None, Some(State::Broken(why))) => {
                let why = format!("component unusable: {why}");
                return self.decide(check, &why);
            }
            (None, None) => return self.decide(check, "runner: no component instance"),
        };
        let def = &self.plan.defs[self.plan.slots[slot].def];
        let planned = (|| {
            let (params, result) = export_type(def, invoke.name)?;
            if params.len() != invoke.args.len() {
                return Err(format!(
                    "runner: {:?} takes {} arguments, the script passes {}",
                    invoke.name,
                    params.len(),
                    invoke.args.len()
                ));
            }
            let args = params
                .iter()
                .zip(&invoke.args)
                .map(|(t, a)| values::arg(t, a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("runner: {e}"))?;
            let expect = expect(result.as_ref())?;
            Ok(Call {
                check,
                export: invoke.name.to_string(),
                params: params.iter().map(VTy::abi).collect(),
                result: result.as_ref().map(VTy::abi),
                args,
                expect,
            })
        })();
        match planned {
            Ok(call) => {
                let calls = &mut self.plan.slots[slot].calls;
                calls.push(call);
                self.plan.checks[check].judge = Judge::Call {
                    slot,
                    call: calls.len() - 1,
                };
            }
            Err(why) => self.decide(check, &why),
        }
    }
}

/// The parameter and result types of export `name` of a definition.
fn export_type(def: &Definition, name: &str) -> Result<(Vec<VTy>, Option<VTy>), String> {
    let types = def
        .types
        .as_ref()
        .ok_or("runner: wasmparser does not validate the component")?;
    let item = types
        .component_item_for_export(name)
        .ok_or_else(|| format!("runner: no export {name:?}"))?;
    let ComponentEntityType::Func(id) = item.ty else {
        return Err(format!("runner: export {name:?} is not a function"));
    };
    let func = &types[id];
    if func.async_ {
        return Err("runner: calling async functions (async is not required yet)".into());
    }
    let unsupported = |e: String| format!("runner: values of type {e}");
    let params = func
        .params
        .iter()
        .map(|(_, t)| VTy::from_wasmparser(types, t).map_err(unsupported))
        .collect::<Result<Vec<_>, _>>()?;
    let result = func
        .result
        .as_ref()
        .map(|t| VTy::from_wasmparser(types, t).map_err(unsupported))
        .transpose()?;
    Ok((params, result))
}

/// What `assert_return` expects of a function returning `result`.
fn expected(result: Option<&VTy>, results: &[WastRet<'_>]) -> Result<Expect, String> {
    match (result, results) {
        (None, []) => Ok(Expect::Value(None)),
        (Some(ty), [r]) => {
            if contains_handle(ty) {
                return Err("runner: comparing handles".into());
            }
            let v = values::ret(ty, r).map_err(|e| format!("runner: {e}"))?;
            Ok(Expect::Value(Some(v)))
        }
        (None, _) => Err("runner: the script expects a result of a function without one".into()),
        (Some(_), _) => Err(format!(
            "runner: the script expects {} results of a function with one",
            results.len()
        )),
    }
}

fn contains_handle(ty: &VTy) -> bool {
    match ty {
        VTy::Handle => true,
        VTy::Plain(_) => false,
        VTy::List(e) | VTy::Option(e) => contains_handle(e),
        VTy::Record(fields) => fields.iter().any(|(_, t)| contains_handle(t)),
        VTy::Tuple(fields) => fields.iter().any(contains_handle),
        VTy::Variant(cases) => cases.iter().flat_map(|(_, t)| t).any(contains_handle),
        VTy::Result(ok, err) => ok.iter().chain(err).any(|t| contains_handle(t)),
        VTy::Enum(_) | VTy::Flags(_) => false,
    }
}

/// Why smelt's validator refuses a component, with whether wasmparser accepts it with every
/// feature (then smelt lacks a feature) or not (then the suite is newer than wasmparser).
fn refusal(bytes: &[u8], e: &smelt::Error) -> String {
    let all = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes);
    let message = match e {
        smelt::Error::InvalidWasm { message, .. } => message.clone(),
        e => e.to_string(),
    };
    match all {
        Ok(_) => {
            format!("smelt's validator refuses it (a feature smelt does not enable): {message}")
        }
        Err(_) => format!("wasmparser 0.263 refuses it (the suite is newer): {message}"),
    }
}

/// `assert_invalid` / `assert_malformed`: passes when smelt refuses the component while
/// decoding or validating it (or the text does not even parse).
fn must_not_compile(mut module: QuoteWat<'_>, message: &str) -> Outcome {
    let bytes = match module.to_test() {
        Ok(QuoteWatTest::Binary(b)) => b,
        Ok(QuoteWatTest::Text(t)) => {
            let Ok(text) = String::from_utf8(t) else {
                return Outcome::Pass;
            };
            match wat::parse_str(&text) {
                Ok(b) => b,
                Err(_) => return Outcome::Pass,
            }
        }
        Err(_) => return Outcome::Pass,
    };
    match guarded(|| smelt::program_from_binary("assertion", bytes)) {
        Err(smelt::Error::InvalidWasm { .. } | smelt::Error::InvalidText { .. }) => Outcome::Pass,
        Err(e) => Outcome::Fail(format!(
            "validation accepted it (expected {message:?}); the build then failed: {e}"
        )),
        Ok(_) => Outcome::Fail(format!("accepted, expected failure {message:?}")),
    }
}

/// The smelt traps that mean the reference interpreter's trap `message`.
pub fn traps_for(message: &str) -> Vec<Trap> {
    let m = message.strip_prefix("wasm trap: ").unwrap_or(message);
    let m = m.to_ascii_lowercase();
    let has = |s: &str| m.contains(s);
    if has("unreachable") {
        vec![Trap::UnreachableCodeReached]
    } else if has("unknown handle index") || has("used with the wrong type") {
        vec![Trap::UnknownHandle]
    } else if has("while borrowed") {
        vec![Trap::ResourceBorrowed]
    } else if has("bit pattern") || has("discriminant") {
        vec![Trap::InvalidDiscriminant]
    } else if has("utf-8") || has("utf-16") || has("latin1") {
        vec![Trap::InvalidString]
    } else if has("unaligned") || has("not aligned") {
        vec![Trap::UnalignedPointer]
    } else if (has("string") && has("out of bounds")) || has("string content out-of-bounds") {
        // A length past the end of memory, or one the encoding's limit refuses.
        vec![Trap::MemoryOutOfBounds, Trap::InvalidString]
    } else if has("out-of-bounds") || has("out of bounds") || has("beyond end of memory") {
        vec![Trap::MemoryOutOfBounds]
    } else {
        // "cannot leave component instance" and the like: no smelt trap says it.
        Vec::new()
    }
}
