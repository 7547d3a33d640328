//! From a `.wast` script to a plan: the closed-world [`smelt::Program`] holding every instance
//! of the script, the script-protocol commands to send to its executable, and one [`Check`]
//! per directive saying what answer to expect (or, for directives decided at build time such as
//! `assert_invalid`, the outcome itself).
//!
//! The plan does not depend on the target. A module that the target cannot compile is found
//! only when building, so [`plan`] takes the set of modules to leave out ([`Exclusions`]) and
//! the caller re-plans without them.

use super::value::{self, Pat};
use smelt::{Binding, ExportType, InstanceId, ModuleId, Program};
use std::collections::HashMap;
use wast::{QuoteWat, QuoteWatTest, Wast, WastArg, WastDirective, WastExecute, WastRet, Wat};

/// The result of one directive.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// As the spec requires.
    Pass,
    /// Not as the spec requires: why.
    Fail(String),
    /// Not checked: why (a feature smelt does not support yet).
    Skip(String),
}

/// What the answer to a command must be.
#[derive(Clone, Debug)]
pub enum Expect {
    /// `ok` with results matching these patterns; `None`: any results.
    Ok(Option<Vec<Pat>>),
    /// `trap <code>`, as the message the spec gives.
    Trap(smelt_contract::Trap, String),
}

/// How a directive is judged.
#[derive(Clone, Debug)]
pub enum Judge {
    /// Already decided while planning (validation, linking, skips).
    Decided(Outcome),
    /// By the answer to command `command`.
    Answer { command: usize, expect: Expect },
}

/// One directive of the script and how it is judged.
#[derive(Clone, Debug)]
pub struct Check {
    /// 1-based line of the directive.
    pub line: usize,
    /// The directive's source text, shortened.
    pub text: String,
    /// How it is judged.
    pub judge: Judge,
}

/// Why a module is left out of the program.
#[derive(Clone, Debug)]
pub enum Excluded {
    /// smelt does not compile it yet (`Error::Unsupported`): its directives are skipped.
    Unsupported(String),
    /// Building it failed: its directives fail.
    Broken(String),
}

/// Modules to leave out, by the index of the directive that adds them.
pub type Exclusions = HashMap<usize, Excluded>;

/// The plan for one script.
pub struct Plan {
    /// Every instance of the script (instance 0 is `spectest`).
    pub program: Program,
    /// Command lines, in order.
    pub commands: Vec<String>,
    /// One check per directive, in order.
    pub checks: Vec<Check>,
    /// Module name given to `add_module` → index of the directive that added it.
    pub module_directives: HashMap<String, usize>,
    /// Indices of the directives that added an instance to the program, in order.
    pub instance_directives: Vec<usize>,
    /// The line of each planned directive, by index.
    pub directive_lines: Vec<usize>,
}

/// The `spectest` module every script may import from.
pub const SPECTEST_WAT: &str = include_str!("../../spec/spectest.wat");

/// The state of a named or current instance.
#[derive(Clone, Debug)]
enum Inst {
    Live(InstanceId),
    Skipped(String),
    Broken(String),
}

/// The state of a module definition.
#[derive(Clone, Debug)]
enum Def {
    Live(ModuleId),
    Skipped(String),
    Broken(String),
}

struct Planner<'t> {
    file: &'t str,
    text: &'t str,
    exclusions: &'t Exclusions,
    program: Program,
    commands: Vec<String>,
    checks: Vec<Check>,
    module_directives: HashMap<String, usize>,
    instance_directives: Vec<usize>,
    directive_lines: Vec<usize>,
    instances: HashMap<String, Inst>,
    current: Option<Inst>,
    definitions: HashMap<String, Def>,
    last_definition: Option<Def>,
    registry: HashMap<String, Inst>,
    exports: HashMap<InstanceId, Vec<(String, ExportType)>>,
}

/// Plans the script `text` (named `file` in messages), leaving out `exclusions`. With
/// `prefix`, only directives `0..=prefix` are planned (to find which module breaks a build).
pub fn plan(file: &str, text: &str, exclusions: &Exclusions, prefix: Option<usize>) -> Plan {
    let mut p = Planner {
        file,
        text,
        exclusions,
        program: Program::new(),
        commands: Vec::new(),
        checks: Vec::new(),
        module_directives: HashMap::new(),
        instance_directives: Vec::new(),
        directive_lines: Vec::new(),
        instances: HashMap::new(),
        current: None,
        definitions: HashMap::new(),
        last_definition: None,
        registry: HashMap::new(),
        exports: HashMap::new(),
    };
    p.spectest();
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let unparsable = |p: &mut Planner<'_>, mut e: wast::Error| {
        e.set_text(text);
        p.checks.push(Check {
            line: 1,
            text: file.into(),
            judge: fail(format!("runner: cannot parse the script: {e}")),
        });
    };
    let buf = match wast::parser::ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => {
            unparsable(&mut p, e);
            return p.finish();
        }
    };
    let wast = match wast::parser::parse::<Wast<'_>>(&buf) {
        Ok(w) => w,
        Err(e) => {
            unparsable(&mut p, e);
            return p.finish();
        }
    };
    for (index, directive) in wast.directives.into_iter().enumerate() {
        if prefix.is_some_and(|last| index > last) {
            break;
        }
        p.directive(index, directive);
    }
    p.finish()
}

fn fail(why: impl Into<String>) -> Judge {
    Judge::Decided(Outcome::Fail(why.into()))
}

fn skip(why: impl Into<String>) -> Judge {
    Judge::Decided(Outcome::Skip(why.into()))
}

const PASS: Judge = Judge::Decided(Outcome::Pass);

/// The outcome of adding a module to the program.
enum Added {
    Module(ModuleId),
    Skipped(String),
    Broken(String),
}

impl Planner<'_> {
    fn finish(self) -> Plan {
        Plan {
            program: self.program,
            commands: self.commands,
            checks: self.checks,
            module_directives: self.module_directives,
            instance_directives: self.instance_directives,
            directive_lines: self.directive_lines,
        }
    }

    fn spectest(&mut self) {
        let bytes = wat::parse_str(SPECTEST_WAT).expect("spectest.wat is valid");
        let m = self
            .program
            .add_module("spectest", bytes)
            .expect("spectest.wat validates");
        let i = self
            .program
            .instantiate(m, |_, _| None)
            .expect("spectest has no imports");
        self.commands.push(format!("instantiate {i}"));
        self.checks.push(Check {
            line: 0,
            text: "(spectest module)".into(),
            judge: Judge::Answer {
                command: 0,
                expect: Expect::Ok(Some(Vec::new())),
            },
        });
        self.registry.insert("spectest".into(), Inst::Live(i));
    }

    fn line(&self, span: wast::token::Span) -> usize {
        span.linecol_in(self.text).0 + 1
    }

    fn source(&self, span: wast::token::Span) -> String {
        directive_text(self.text, span)
    }

    fn push(&mut self, span: wast::token::Span, judge: Judge) {
        let line = self.line(span);
        let text = self.source(span);
        self.checks.push(Check { line, text, judge });
    }

    fn command(&mut self, line: String) -> usize {
        self.commands.push(line);
        self.commands.len() - 1
    }

    fn directive(&mut self, index: usize, directive: WastDirective<'_>) {
        let span = directive.span();
        self.directive_lines.push(self.line(span));
        match directive {
            WastDirective::Module(module) => {
                let name = module.name().map(|id| id.name().to_string());
                let inst = match self.add(index, span, module) {
                    Added::Module(m) => self.instantiate(index, span, m, None),
                    Added::Skipped(why) => {
                        self.push(span, skip(why.clone()));
                        Inst::Skipped(why)
                    }
                    Added::Broken(why) => {
                        self.push(span, fail(why.clone()));
                        Inst::Broken(why)
                    }
                };
                if let Some(name) = name {
                    self.instances.insert(name, inst.clone());
                }
                self.current = Some(inst);
            }
            WastDirective::ModuleDefinition(module) => {
                let name = module.name().map(|id| id.name().to_string());
                let def = match self.add(index, span, module) {
                    Added::Module(m) => {
                        self.push(span, PASS);
                        Def::Live(m)
                    }
                    Added::Skipped(why) => {
                        self.push(span, skip(why.clone()));
                        Def::Skipped(why)
                    }
                    Added::Broken(why) => {
                        self.push(span, fail(why.clone()));
                        Def::Broken(why)
                    }
                };
                if let Some(name) = name {
                    self.definitions.insert(name, def.clone());
                }
                self.last_definition = Some(def);
            }
            WastDirective::ModuleInstance {
                span,
                instance,
                module,
            } => {
                let def = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                };
                let inst = match def {
                    None => {
                        let why = "no such module definition".to_string();
                        self.push(span, fail(why.clone()));
                        Inst::Broken(why)
                    }
                    Some(Def::Skipped(why)) => {
                        self.push(span, skip(why.clone()));
                        Inst::Skipped(why)
                    }
                    Some(Def::Broken(why)) => {
                        self.push(span, fail(why.clone()));
                        Inst::Broken(why)
                    }
                    Some(Def::Live(m)) => {
                        if let Some(excluded) = self.exclusions.get(&index) {
                            let (judge, inst) = excluded_judge(excluded);
                            self.push(span, judge);
                            inst
                        } else {
                            self.instantiate(index, span, m, None)
                        }
                    }
                };
                if let Some(id) = instance {
                    self.instances.insert(id.name().to_string(), inst.clone());
                }
                self.current = Some(inst);
            }
            WastDirective::Register { name, module, .. } => {
                let inst = self.lookup(module.map(|id| id.name()));
                self.registry.insert(name.to_string(), inst);
            }
            WastDirective::Invoke(invoke) => {
                let judge = match self.invoke(&invoke) {
                    Ok(command) => Judge::Answer {
                        command,
                        expect: Expect::Ok(None),
                    },
                    Err(judge) => judge,
                };
                self.push(span, judge);
            }
            WastDirective::AssertReturn { exec, results, .. } => {
                let expected: Result<Vec<Pat>, _> = results
                    .iter()
                    .map(|r| match r {
                        WastRet::Core(r) => value::pattern(r),
                        _ => Err(value::Unpassable("component-model values".into())),
                    })
                    .collect();
                let expected = match expected {
                    Ok(e) => e,
                    Err(value::Unpassable(why)) => return self.push(span, skip(why)),
                };
                match exec {
                    WastExecute::Wat(wat) => {
                        self.module_assertion(index, span, wat, Expect::Ok(Some(Vec::new())))
                    }
                    exec => {
                        let judge = match self.execute(&exec) {
                            Ok(command) => Judge::Answer {
                                command,
                                expect: Expect::Ok(Some(expected)),
                            },
                            Err(judge) => judge,
                        };
                        self.push(span, judge);
                    }
                }
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                let Some(trap) = value::trap_for_message(message) else {
                    return self.push(
                        span,
                        fail(format!("runner: unknown trap message {message:?}")),
                    );
                };
                let expect = Expect::Trap(trap, message.to_string());
                match exec {
                    WastExecute::Wat(wat) => self.module_assertion(index, span, wat, expect),
                    exec => {
                        let judge = match self.execute(&exec) {
                            Ok(command) => Judge::Answer { command, expect },
                            Err(judge) => judge,
                        };
                        self.push(span, judge);
                    }
                }
            }
            WastDirective::AssertExhaustion { call, message, .. } => {
                let Some(trap) = value::trap_for_message(message) else {
                    return self.push(
                        span,
                        fail(format!("runner: unknown trap message {message:?}")),
                    );
                };
                let judge = match self.invoke(&call) {
                    Ok(command) => Judge::Answer {
                        command,
                        expect: Expect::Trap(trap, message.to_string()),
                    },
                    Err(judge) => judge,
                };
                self.push(span, judge);
            }
            WastDirective::AssertInvalid {
                module, message, ..
            }
            | WastDirective::AssertMalformed {
                module, message, ..
            } => {
                let judge = self.must_not_compile(module, message);
                self.push(span, judge);
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let judge = self.must_not_link(index, module, message);
                self.push(span, judge);
            }
            WastDirective::AssertInvalidCustom { .. }
            | WastDirective::AssertMalformedCustom { .. } => self.push(
                span,
                skip("custom-section assertions (not part of core validation)"),
            ),
            WastDirective::AssertException { .. } => self.push(span, skip("exception handling")),
            WastDirective::AssertSuspension { .. } => self.push(span, skip("stack switching")),
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                self.push(span, skip("threads"))
            }
        }
    }

    /// Encodes and validates a module; `index` is the directive's index.
    fn add(&mut self, index: usize, span: wast::token::Span, mut module: QuoteWat<'_>) -> Added {
        if matches!(
            module,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            return Added::Skipped("component model".into());
        }
        if let Some(excluded) = self.exclusions.get(&index) {
            return match excluded {
                Excluded::Unsupported(why) => Added::Skipped(why.clone()),
                Excluded::Broken(why) => Added::Broken(why.clone()),
            };
        }
        let bytes = match module.encode() {
            Ok(b) => b,
            Err(e) => return Added::Broken(format!("runner: cannot encode the module: {e}")),
        };
        let name = format!("{}:{}", self.file, self.line(span));
        match self.program.add_module(&name, bytes) {
            Ok(m) => {
                self.module_directives.insert(name, index);
                Added::Module(m)
            }
            Err(smelt::Error::Unsupported { what, .. }) => {
                Added::Skipped(format!("not supported yet: {what}"))
            }
            Err(e) => Added::Broken(format!("rejected a valid module: {e}")),
        }
    }

    /// Why a module cannot be instantiated because of what it imports, if it cannot.
    fn import_problem(&self, m: ModuleId) -> Option<Inst> {
        for import in &self.program.modules[m].imports {
            match self.registry.get(&import.module) {
                Some(Inst::Skipped(why)) => {
                    return Some(Inst::Skipped(format!(
                        "imports from skipped module {:?}: {why}",
                        import.module
                    )));
                }
                Some(Inst::Broken(why)) => {
                    return Some(Inst::Broken(format!(
                        "imports from broken module {:?}: {why}",
                        import.module
                    )));
                }
                _ => {}
            }
        }
        None
    }

    /// Links an instance of module `m`; emits its `instantiate` command, expecting `expect`
    /// (default: `ok`). Pushes the check.
    fn instantiate(
        &mut self,
        index: usize,
        span: wast::token::Span,
        m: ModuleId,
        expect: Option<Expect>,
    ) -> Inst {
        if let Some(excluded) = self.exclusions.get(&index) {
            let (judge, inst) = excluded_judge(excluded);
            self.push(span, judge);
            return inst;
        }
        if let Some(problem) = self.import_problem(m) {
            let judge = match &problem {
                Inst::Skipped(why) => skip(why.clone()),
                Inst::Broken(why) => fail(why.clone()),
                Inst::Live(_) => unreachable!(),
            };
            self.push(span, judge);
            return problem;
        }
        let registry = &self.registry;
        let linked = self
            .program
            .instantiate(m, |module, field| match registry.get(module) {
                Some(Inst::Live(i)) => Some(Binding::Export(*i, field.to_string())),
                _ => None,
            });
        match linked {
            Ok(i) => {
                self.instance_directives.push(index);
                let command = self.command(format!("instantiate {i}"));
                let expect = expect.unwrap_or(Expect::Ok(Some(Vec::new())));
                self.push(span, Judge::Answer { command, expect });
                Inst::Live(i)
            }
            Err(e) => {
                let why = format!("link error: {e}");
                self.push(span, fail(why.clone()));
                Inst::Broken(why)
            }
        }
    }

    /// `assert_return (module …)` / `assert_trap (module …)`: instantiates a module that does
    /// not become the current one.
    fn module_assertion(
        &mut self,
        index: usize,
        span: wast::token::Span,
        wat: Wat<'_>,
        expect: Expect,
    ) {
        match self.add(index, span, QuoteWat::Wat(wat)) {
            Added::Module(m) => {
                self.instantiate(index, span, m, Some(expect));
            }
            Added::Skipped(why) => self.push(span, skip(why)),
            Added::Broken(why) => self.push(span, fail(why)),
        }
    }

    /// `assert_invalid` / `assert_malformed`: any error (text, decoding, validation) passes.
    fn must_not_compile(&mut self, mut module: QuoteWat<'_>, message: &str) -> Judge {
        if matches!(
            module,
            QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
        ) {
            return skip("component model");
        }
        let bytes = match module.to_test() {
            Ok(QuoteWatTest::Binary(b)) => b,
            Ok(QuoteWatTest::Text(t)) => {
                let Ok(text) = String::from_utf8(t) else {
                    return PASS;
                };
                match wat::parse_str(&text) {
                    Ok(b) => b,
                    Err(_) => return PASS,
                }
            }
            Err(_) => return PASS,
        };
        let mut scratch = Program::new();
        match scratch.add_module("assertion", bytes) {
            Ok(_) => fail(format!("module was accepted, expected failure {message:?}")),
            Err(_) => PASS,
        }
    }

    fn must_not_link(&mut self, index: usize, wat: Wat<'_>, message: &str) -> Judge {
        let span = wat.span();
        let m = match self.add(index, span, QuoteWat::Wat(wat)) {
            Added::Module(m) => m,
            Added::Skipped(why) => return skip(why),
            Added::Broken(why) => return fail(why),
        };
        if let Some(problem) = self.import_problem(m) {
            return match problem {
                Inst::Skipped(why) => skip(why),
                _ => PASS,
            };
        }
        let registry = &self.registry;
        let linked = self
            .program
            .instantiate(m, |module, field| match registry.get(module) {
                Some(Inst::Live(i)) => Some(Binding::Export(*i, field.to_string())),
                _ => None,
            });
        match linked {
            Ok(i) => {
                // Limits that depend on the exporter's current size are checked when the
                // instance is instantiated: the link error arrives at run time.
                self.instance_directives.push(index);
                let command = self.command(format!("instantiate {i}"));
                Judge::Answer {
                    command,
                    expect: Expect::Trap(
                        smelt_contract::Trap::IncompatibleImport,
                        message.to_string(),
                    ),
                }
            }
            Err(_) => PASS,
        }
    }

    fn lookup(&self, name: Option<&str>) -> Inst {
        match name {
            Some(n) => self
                .instances
                .get(n)
                .cloned()
                .unwrap_or_else(|| Inst::Broken(format!("runner: no instance named ${n}"))),
            None => self
                .current
                .clone()
                .unwrap_or_else(|| Inst::Broken("runner: no current instance".into())),
        }
    }

    /// The instance and index of an export, or the judgement when there is none.
    fn export(
        &mut self,
        module: Option<&str>,
        name: &str,
    ) -> Result<(InstanceId, usize, ExportType), Judge> {
        let i = match self.lookup(module) {
            Inst::Live(i) => i,
            Inst::Skipped(why) => return Err(skip(why)),
            Inst::Broken(why) => return Err(fail(format!("module unusable: {why}"))),
        };
        let program = &self.program;
        let exports = self
            .exports
            .entry(i)
            .or_insert_with(|| program.export_types(i));
        match exports.iter().position(|(n, _)| n == name) {
            Some(e) => Ok((i, e, exports[e].1.clone())),
            None => Err(fail(format!("runner: instance {i} has no export {name:?}"))),
        }
    }

    fn invoke(&mut self, invoke: &wast::WastInvoke<'_>) -> Result<usize, Judge> {
        let (i, e, ty) = self.export(invoke.module.map(|id| id.name()), invoke.name)?;
        let ExportType::Func(ft) = ty else {
            return Err(fail(format!(
                "runner: export {:?} is not a function",
                invoke.name
            )));
        };
        if ft.params().len() != invoke.args.len() {
            return Err(fail(format!(
                "runner: {:?} takes {} arguments, the script passes {}",
                invoke.name,
                ft.params().len(),
                invoke.args.len()
            )));
        }
        let mut line = format!("invoke {i} {e}");
        for arg in &invoke.args {
            let WastArg::Core(arg) = arg else {
                return Err(skip("component-model values"));
            };
            match value::encode_arg(arg) {
                Ok(bits) => line.push_str(&format!(" {bits:x}")),
                Err(value::Unpassable(why)) => return Err(skip(why)),
            }
        }
        Ok(self.command(line))
    }

    fn execute(&mut self, exec: &WastExecute<'_>) -> Result<usize, Judge> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(invoke),
            WastExecute::Get { module, global, .. } => {
                let (i, e, ty) = self.export(module.map(|id| id.name()), global)?;
                if !matches!(ty, ExportType::Global(_)) {
                    return Err(fail(format!("runner: export {global:?} is not a global")));
                }
                Ok(self.command(format!("get {i} {e}")))
            }
            WastExecute::Wat(_) => unreachable!("handled by the caller"),
        }
    }
}

fn excluded_judge(excluded: &Excluded) -> (Judge, Inst) {
    match excluded {
        Excluded::Unsupported(why) => (skip(why.clone()), Inst::Skipped(why.clone())),
        Excluded::Broken(why) => (fail(why.clone()), Inst::Broken(why.clone())),
    }
}

/// The source text of the directive of `text` whose keyword is at `span`, shortened to one
/// line.
pub fn directive_text(text: &str, span: wast::token::Span) -> String {
    let start = text[..span.offset()].rfind('(').unwrap_or(span.offset());
    let mut depth = 0usize;
    let mut end = text.len();
    let bytes = text.as_bytes();
    let mut i = start;
    let mut in_string = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_string = false;
            }
        } else if c == b'"' {
            in_string = true;
        } else if c == b'(' {
            depth += 1;
        } else if c == b')' {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                end = i + 1;
                break;
            }
        }
        i += 1;
    }
    let one_line: String = text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    shorten(&one_line, 160)
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}
