#include "report/Fix.h"

#include "rules/Rules.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace krefcheck {

// ---------------------------------------------------------------------------------------------
// Source text

namespace {
std::vector<std::string> codeOnly(const std::vector<std::string> &Lines);
bool isIdent(char C);
}  // namespace

SourceCache::Text &SourceCache::load(const std::string &File) {
  auto It = Files.find(File);
  if (It != Files.end()) return It->second;
  Text T;
  std::ifstream In(File, std::ios::binary);
  if (In) {
    std::string All((std::istreambuf_iterator<char>(In)), std::istreambuf_iterator<char>());
    T.Ok = true;
    T.FinalNewline = All.empty() || All.back() == '\n';
    size_t Start = 0;
    while (Start < All.size()) {
      size_t NL = All.find('\n', Start);
      if (NL == std::string::npos) {
        T.Lines.push_back(All.substr(Start));
        break;
      }
      T.Lines.push_back(All.substr(Start, NL - Start));
      Start = NL + 1;
    }
  }
  return Files.emplace(File, std::move(T)).first->second;
}

const std::vector<std::string> *SourceCache::lines(const std::string &File) {
  const Text &T = load(File);
  return T.Ok ? &T.Lines : nullptr;
}

bool SourceCache::endsWithNewline(const std::string &File) { return load(File).FinalNewline; }

std::optional<std::string> SourceCache::line(const std::string &File, unsigned Line) {
  const std::vector<std::string> *L = lines(File);
  if (!L || Line == 0 || Line > L->size()) return std::nullopt;
  return (*L)[Line - 1];
}

const std::vector<std::string> *SourceCache::codeLines(const std::string &File) {
  Text &T = load(File);
  if (!T.Ok) return nullptr;
  if (!T.Code) T.Code = codeOnly(T.Lines);
  return &*T.Code;
}

const std::set<std::string> &SourceCache::definedFunctions(const std::string &File) {
  Text &T = load(File);
  if (!T.Defined) {
    T.Defined.emplace();
    if (const std::vector<std::string> *Code = codeLines(File)) {
      // A line starting in column 0 with `name(`, then a `{` before any `;`.
      for (size_t I = 0; I < Code->size(); ++I) {
        const std::string &L = (*Code)[I];
        if (L.empty() || !isIdent(L[0]) || L[0] == '#') continue;
        size_t Paren = L.find('(');
        if (Paren == std::string::npos) continue;
        size_t E = Paren;
        while (E > 0 && (L[E - 1] == ' ' || L[E - 1] == '\t')) --E;
        size_t B = E;
        while (B > 0 && isIdent(L[B - 1])) --B;
        if (B == E) continue;
        for (size_t J = I; J < Code->size() && J < I + 10; ++J) {
          const std::string &M = (*Code)[J];
          size_t Semi = M.find(';'), Brace = M.find('{');
          if (Brace != std::string::npos && (Semi == std::string::npos || Brace < Semi)) {
            T.Defined->insert(L.substr(B, E - B));
            break;
          }
          if (Semi != std::string::npos) break;
        }
      }
    }
  }
  return *T.Defined;
}

namespace {

/// The code of a file with comments and the contents of string and character literals
/// replaced by spaces: same lines, same columns, so positions carry over.
std::vector<std::string> codeOnly(const std::vector<std::string> &Lines) {
  std::vector<std::string> Out = Lines;
  bool InBlock = false;
  for (std::string &L : Out) {
    char Quote = 0;
    for (size_t I = 0; I < L.size(); ++I) {
      char C = L[I];
      if (InBlock) {
        if (C == '*' && I + 1 < L.size() && L[I + 1] == '/') {
          L[I] = L[I + 1] = ' ';
          ++I;
          InBlock = false;
        } else {
          L[I] = ' ';
        }
      } else if (Quote) {
        if (C == '\\' && I + 1 < L.size()) {
          L[I] = L[I + 1] = ' ';
          ++I;
        } else if (C == Quote) {
          Quote = 0;
        } else {
          L[I] = ' ';
        }
      } else if (C == '/' && I + 1 < L.size() && L[I + 1] == '/') {
        for (size_t J = I; J < L.size(); ++J) L[J] = ' ';
        break;
      } else if (C == '/' && I + 1 < L.size() && L[I + 1] == '*') {
        L[I] = L[I + 1] = ' ';
        ++I;
        InBlock = true;
      } else if (C == '"' || C == '\'') {
        Quote = C;
      }
    }
  }
  return Out;
}

bool isIdent(char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; }
bool isSpace(char C) { return C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\f'; }

/// The function's code from its first line to its closing brace, joined with '\n', and where
/// each line starts in it.
struct FunctionText {
  std::string Code;
  unsigned FirstLine = 0;          // 1-based line of Code[0]
  std::vector<size_t> LineStart;  // offset of line FirstLine + i
  size_t at(unsigned Line, unsigned Column) const {
    return LineStart[Line - FirstLine] + (Column ? Column - 1 : 0);
  }
  unsigned lineOf(size_t Pos) const {
    auto It = std::upper_bound(LineStart.begin(), LineStart.end(), Pos);
    return FirstLine + unsigned(It - LineStart.begin()) - 1;
  }
};

/// Previous non-space character before Pos (0 if none).
char prevChar(const std::string &S, size_t Pos, size_t *At = nullptr) {
  while (Pos > 0) {
    --Pos;
    if (!isSpace(S[Pos])) {
      if (At) *At = Pos;
      return S[Pos];
    }
  }
  return 0;
}
char nextChar(const std::string &S, size_t Pos, size_t *At = nullptr) {
  for (; Pos < S.size(); ++Pos)
    if (!isSpace(S[Pos])) {
      if (At) *At = Pos;
      return S[Pos];
    }
  return 0;
}
std::string prevWord(const std::string &S, size_t Pos) {
  size_t At = 0;
  if (!isIdent(prevChar(S, Pos, &At))) return "";
  size_t B = At + 1;
  while (At > 0 && isIdent(S[At - 1])) --At;
  return S.substr(At, B - At);
}

/// Can a statement start right after the code before Pos (not the body of a braceless if,
/// else, for, while or do, nor the middle of an expression)?
bool statementBoundaryBefore(const std::string &S, size_t Pos) {
  size_t At;
  char P = prevChar(S, Pos, &At);
  if (P == ';' || P == '{' || P == '}') return true;
  if (P == ':') {
    // A label (`err:` or `case X:` / `default:`) but not `a ? b : c` or `::`.
    if (At > 0 && S[At - 1] == ':') return false;
    return true;
  }
  return false;
}

/// Offsets of every occurrence of the identifier Id in S[From, To).
std::vector<size_t> occurrences(const std::string &S, const std::string &Id, size_t From, size_t To) {
  std::vector<size_t> Out;
  for (size_t P = S.find(Id, From); P != std::string::npos && P < To; P = S.find(Id, P + 1)) {
    if (P > 0 && isIdent(S[P - 1])) continue;
    if (P + Id.size() < S.size() && isIdent(S[P + Id.size()])) continue;
    Out.push_back(P);
  }
  return Out;
}

/// Offset of the '(' opened by the ')' at Close, or npos.
size_t matchingParenBack(const std::string &S, size_t Close) {
  int Depth = 0;
  for (size_t I = Close + 1; I-- > 0;) {
    if (S[I] == ')') ++Depth;
    else if (S[I] == '(' && --Depth == 0) return I;
  }
  return std::string::npos;
}

/// Offset of the ')' closing the '(' at Open, or npos.
size_t matchingParen(const std::string &S, size_t Open) {
  int Depth = 0;
  for (size_t I = Open; I < S.size(); ++I) {
    if (S[I] == '(') ++Depth;
    else if (S[I] == ')' && --Depth == 0) return I;
  }
  return std::string::npos;
}

struct CallContext {
  std::string Callee;   // "" when the innermost parentheses are not a call
  unsigned ArgIndex = 0;
  size_t Open = std::string::npos;
};

/// The innermost parenthesised list around Pos (searching back no further than Limit).
CallContext enclosingCall(const std::string &S, size_t Pos, size_t Limit) {
  CallContext C;
  int Depth = 0;
  unsigned Commas = 0;
  for (size_t I = Pos; I-- > Limit;) {
    char Ch = S[I];
    if (Ch == ')' || Ch == ']') ++Depth;
    else if (Ch == '[' && Depth > 0) --Depth;
    else if (Ch == '(') {
      if (Depth > 0) {
        --Depth;
        continue;
      }
      C.Open = I;
      C.ArgIndex = Commas;
      C.Callee = prevWord(S, I);
      return C;
    } else if (Ch == ',' && Depth == 0) {
      ++Commas;
    } else if ((Ch == ';' || Ch == '{' || Ch == '}') && Depth == 0) {
      return C;
    }
  }
  return C;
}

bool isKeyword(const std::string &W) {
  static const std::set<std::string> K = {"if",     "while", "for",    "switch", "return",
                                          "sizeof", "do",    "else",   "case",   "typeof",
                                          "__typeof__", "_Generic", "__builtin_expect"};
  return K.count(W) > 0;
}

/// May the occurrence of the variable at Pos take, give away, release or replace the reference?
/// Conservative: anything but a dereference, a test or a plain borrowing call argument is.
bool escapesOrReleases(const std::string &S, size_t Pos, const std::string &Var,
                       const RuleSet &Rules, const std::set<std::string> &Defined) {
  size_t End = Pos + Var.size();
  size_t NAt = 0, PAt = 0;
  char N = nextChar(S, End, &NAt);
  char P = prevChar(S, Pos, &PAt);
  char N2 = NAt + 1 < S.size() ? S[NAt + 1] : 0;
  bool Member = (N == '-' && N2 == '>') || (N == '.' && N2 != '.') || N == '[';
  // Written: `var = ...`, `var++`, `&var` (an out-parameter).
  if (N == '=' && N2 != '=') return true;
  if ((N == '+' && N2 == '+') || (N == '-' && N2 == '-')) return true;
  if ((P == '+' || P == '-') && PAt > 0 && S[PAt - 1] == P) return true;
  if (P == '&' && !(PAt > 0 && S[PAt - 1] == '&') && !Member) return true;
  // Stored: `x = var` (but `x = var->field` reads through it).
  if (P == '=' && !Member) {
    char PP = PAt > 0 ? S[PAt - 1] : 0;
    if (PP != '=' && PP != '!' && PP != '<' && PP != '>') return true;
  }
  // Returned: ownership leaves through that other exit; fine for this one.
  if (prevWord(S, Pos) == "return") return false;
  CallContext C = enclosingCall(S, Pos, 0);
  if (C.Callee.empty() || isKeyword(C.Callee)) return false;
  if (Rules.errorCheck(C.Callee)) {
    // `if (IS_ERR(var)) return ...;` keeps error pointers away from the exits below; any
    // other test may let one through to the put.
    size_t NameStart = C.Open;
    while (NameStart > 0 && isSpace(S[NameStart - 1])) --NameStart;
    while (NameStart > 0 && isIdent(S[NameStart - 1])) --NameStart;
    size_t ParenAt = std::string::npos, Close = matchingParen(S, C.Open), After;
    prevChar(S, NameStart, &ParenAt);
    CallContext If = enclosingCall(S, NameStart, 0);
    if (Close == std::string::npos || If.Callee != "if" || ParenAt != If.Open) return true;
    if (nextChar(S, Close + 1, &After) != ')') return true;
    size_t Body = 0;
    if (!isIdent(nextChar(S, After + 1, &Body)) || S.compare(Body, 6, "return") != 0) return true;
    return false;
  }
  if (const FunctionRule *R = Rules.function(C.Callee)) {
    if (const ArgRule *A = R->argRule(C.ArgIndex))
      if (A->Effect != ArgEffect::Borrow) return true;
    if (R->Returns == ReturnEffect::Arg && R->ReturnsArg == C.ArgIndex) return true;
    return false;
  }
  // A statement-like macro (`for_each_child_of_node(p, var) {`) assigns its arguments.
  size_t Close = matchingParen(S, C.Open);
  if (Close == std::string::npos) return true;
  char After = nextChar(S, Close + 1);
  if (After == '{' || isIdent(After)) return true;
  // A helper of this file may release or keep it (its summary is not known here).
  return Defined.count(C.Callee) > 0;
}

std::string trimRight(std::string S) {
  while (!S.empty() && isSpace(S.back())) S.pop_back();
  return S;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Fix suggestion

namespace {

/// One function's text and what the fix of one leak in it needs.
class LeakFixer {
public:
  LeakFixer(const Finding &F, const RuleSet &Rules, SourceCache &Src) : F(F), Rules(Rules), Src(Src) {}

  std::optional<FixSuggestion> run();

private:
  bool setUp();
  /// Is the variable, from the acquire up to Pos, held and untouched on every path to Pos:
  /// the acquire dominates Pos, nothing releases, hands over, stores or reassigns it, and no
  /// jump enters from before the acquire or from after Pos?
  bool cleanUpTo(size_t Pos) const;
  /// The edit putting the variable before the statement at Pos (ending at Semi): an inserted
  /// line, or braces around the braceless body of an `if`.
  std::optional<FixSuggestion> putBefore(size_t Pos, size_t Semi) const;
  std::optional<FixSuggestion> atExit();
  std::optional<FixSuggestion> atGoto();
  std::string indentOf(unsigned Line) const {
    const std::string &T = (*Lines)[Line - 1];
    return T.substr(0, T.find_first_not_of(" \t"));
  }

  const Finding &F;
  const RuleSet &Rules;
  SourceCache &Src;
  const Family *Fam = nullptr;
  const std::vector<std::string> *Lines = nullptr, *Code = nullptr;
  unsigned First = 0, Last = 0;
  FunctionText FT;
  size_t AcqLineStart = 0, RegionStart = 0, ExitPos = 0;
  std::string Arg;  // what the release function is given
};

bool LeakFixer::setUp() {
  if (F.RuleId != "krefcheck-leak" && F.RuleId != "krefcheck-loop-leak") return false;
  static const std::regex IdentRe("^[A-Za-z_][A-Za-z0-9_]*$");
  const std::string &Var = F.Variable;
  if (!std::regex_match(Var, IdentRe) || !std::regex_match(F.Function, IdentRe)) return false;
  if (F.Loc.File.empty() || F.Loc.File != F.AcquireLoc.File) return false;
  if (F.AcquireLoc.Line == 0 || F.AcquireLoc.Line >= F.Loc.Line) return false;

  // The reference's family and release function, as the checker named them in the finding
  // (also for a same-file helper's summary, which is not in the base rules).
  Fam = Rules.family(F.Family);
  if (!Fam || Fam->Release.empty() || Fam->Release != F.ReleaseFunction) return false;

  Lines = Src.lines(F.Loc.File);
  Code = Src.codeLines(F.Loc.File);
  if (!Lines || !Code || F.Loc.Line > Lines->size()) return false;

  // The function: from the column-0 line naming it, before the acquire, to its closing brace.
  for (unsigned L = F.AcquireLoc.Line; L >= 1 && !First; --L) {
    const std::string &T = (*Code)[L - 1];
    if (L < F.AcquireLoc.Line && !T.empty() && T[0] == '}') break;
    size_t P = T.find(F.Function);
    if (T.empty() || !isIdent(T[0]) || P == std::string::npos) continue;
    size_t After = T.find_first_not_of(" \t", P + F.Function.size());
    if ((P == 0 || !isIdent(T[P - 1])) && After != std::string::npos && T[After] == '(') First = L;
  }
  if (!First) return false;
  for (unsigned L = F.AcquireLoc.Line; L <= Code->size() && !Last; ++L)
    if (!(*Code)[L - 1].empty() && (*Code)[L - 1][0] == '}') Last = L;
  if (!Last || Last < F.Loc.Line) return false;
  FT.FirstLine = First;
  for (unsigned L = First; L <= Last; ++L) {
    FT.LineStart.push_back(FT.Code.size());
    FT.Code += (*Code)[L - 1];
    FT.Code += '\n';
  }
  const std::string &S = FT.Code;
  if (F.Loc.Column == 0 || F.Loc.Column - 1 > (*Code)[F.Loc.Line - 1].size()) return false;
  ExitPos = FT.at(F.Loc.Line, F.Loc.Column);

  // The declaration: `struct T *var` in this function (parameters included), not __free().
  AcqLineStart = FT.at(F.AcquireLoc.Line, 1);
  RegionStart = S.find('\n', AcqLineStart);
  std::string Before = S.substr(0, RegionStart);
  const std::regex DeclRe("struct\\s+([A-Za-z_]\\w*)\\s*\\*\\s*(?:const\\s+)?" + Var +
                          "\\b|struct\\s+([A-Za-z_]\\w*)\\s*\\*\\s*\\w+[^;(){}]*?,\\s*\\*\\s*" +
                          Var + "\\b");
  std::string Type;
  size_t DeclEnd = std::string::npos;
  for (std::sregex_iterator It(Before.begin(), Before.end(), DeclRe), E; It != E; ++It) {
    Type = (*It)[1].matched ? (*It)[1].str() : (*It)[2].str();
    DeclEnd = It->position(0) + It->length(0);
  }
  if (Type.empty()) return false;
  size_t At = 0;
  if (isIdent(nextChar(S, DeclEnd, &At)) && S.compare(At, 6, "__free") == 0) return false;
  // Any other declaration of the name after that one (a shadowing one in an inner block).
  const std::regex Other("\\b(?:struct\\s+\\w+|int|long|u32|u64|bool|void)\\s*\\**\\s*" + Var +
                         "\\s*[;=,\\[)]");
  std::string After = S.substr(DeclEnd);
  if (std::regex_search(After, Other)) return false;
  // The acquire starts a statement of its own (not the body of a braceless if).
  if (!statementBoundaryBefore(S, AcqLineStart)) return false;

  // The release call: `&var->field` when the reference is on an embedded object
  // (device_register(&c->dev)), `&var->dev` for a struct embedding a device.
  Arg = Var;
  std::smatch M;
  std::string AcqText = S.substr(AcqLineStart, RegionStart - AcqLineStart);
  const std::regex Embedded("&\\s*" + Var + "\\s*->\\s*([A-Za-z_]\\w*)\\s*[,)]");
  if (std::regex_search(AcqText, M, Embedded)) Arg = "&" + Var + "->" + M[1].str();
  else if (Fam->Name == "device" && Type != "device") Arg = "&" + Var + "->dev";
  return true;
}

bool LeakFixer::cleanUpTo(size_t Pos) const {
  const std::string &S = FT.Code;
  // The acquire's block (or one nested in it) holds Pos; a for_each_* loop may close.
  int Depth = 0;
  for (size_t I = AcqLineStart; I < Pos; ++I) {
    if (S[I] == '{') ++Depth;
    else if (S[I] == '}' && --Depth < 0) return false;
  }
  const std::set<std::string> &Defined = Src.definedFunctions(F.Loc.File);
  for (size_t P : occurrences(S, F.Variable, RegionStart, Pos))
    if (escapesOrReleases(S, P, F.Variable, Rules, Defined)) return false;
  static const std::regex LabelRe("(^|[;{}])\\s*([A-Za-z_]\\w*)\\s*:(?!:)");
  std::string Region = S.substr(AcqLineStart, Pos - AcqLineStart);
  std::string Outside = S.substr(0, AcqLineStart) + "\n" + S.substr(Pos);
  for (std::sregex_iterator It(Region.begin(), Region.end(), LabelRe), E; It != E; ++It) {
    std::string Label = (*It)[2].str();
    if (Label == "default") return false;
    if (std::regex_search(Outside, std::regex("\\bgoto\\s+" + Label + "\\s*;"))) return false;
  }
  static const std::regex CaseRe("\\bcase\\b");
  return !std::regex_search(Region, CaseRe);
}

std::optional<FixSuggestion> LeakFixer::putBefore(size_t Pos, size_t Semi) const {
  const std::string &S = FT.Code;
  unsigned Line = FT.lineOf(Pos);
  for (size_t I = FT.LineStart[Line - First]; I < Pos; ++I)
    if (!isSpace(S[I])) return std::nullopt;  // the statement must start its line
  std::string Put = Fam->Release + "(" + Arg + ");";
  FixSuggestion Fx;
  Fx.File = F.Loc.File;
  if (statementBoundaryBefore(S, Pos)) {
    Fx.StartLine = Line;
    Fx.Text = indentOf(Line) + Put + "\n";
    return Fx;
  }
  // The braceless body of an `if`: add the braces. Lines [the `)` line, the `;` line].
  size_t Close;
  if (prevChar(S, Pos, &Close) != ')') return std::nullopt;
  size_t Open = matchingParenBack(S, Close);
  if (Open == std::string::npos || prevWord(S, Open) != "if") return std::nullopt;
  unsigned IfLine = FT.lineOf(Close), EndLine = FT.lineOf(Semi);
  // `)` ends its line, `;` ends the statement's, and no `else` follows.
  size_t EOL = S.find('\n', Close);
  if (!trimRight(S.substr(Close + 1, EOL - Close - 1)).empty()) return std::nullopt;
  EOL = S.find('\n', Semi);
  if (!trimRight(S.substr(Semi + 1, EOL - Semi - 1)).empty()) return std::nullopt;
  size_t NextAt = 0;
  if (isIdent(nextChar(S, Semi + 1, &NextAt)) && S.compare(NextAt, 4, "else") == 0 &&
      (NextAt + 4 >= S.size() || !isIdent(S[NextAt + 4])))
    return std::nullopt;
  size_t ParenCol = Close - FT.LineStart[IfLine - First];
  const std::string &L0 = (*Lines)[IfLine - 1];
  Fx.StartLine = IfLine;
  Fx.DeletedLines = EndLine - IfLine + 1;
  Fx.Text = L0.substr(0, ParenCol + 1) + " {" + L0.substr(ParenCol + 1) + "\n";
  for (unsigned L = IfLine + 1; L <= EndLine; ++L) {
    if (L == Line) Fx.Text += indentOf(Line) + Put + "\n";
    Fx.Text += (*Lines)[L - 1] + "\n";
  }
  Fx.Text += indentOf(FT.lineOf(Open)) + "}\n";
  return Fx;
}

/// The put right before the exit: a `return` that does not use the variable, or the closing
/// brace of the function.
std::optional<FixSuggestion> LeakFixer::atExit() {
  const std::string &S = FT.Code;
  if (!cleanUpTo(ExitPos)) return std::nullopt;
  if (S.compare(ExitPos, 6, "return") == 0 && !isIdent(S[ExitPos + 6])) {
    size_t Semi = S.find(';', ExitPos);
    if (Semi == std::string::npos) return std::nullopt;
    // `return of_get_child_by_name(np, ...);` still needs it.
    if (!occurrences(S, F.Variable, ExitPos + 6, Semi).empty()) return std::nullopt;
    std::optional<FixSuggestion> Fx = putBefore(ExitPos, Semi);
    if (Fx) Fx->Description = "Release '" + F.Variable + "' with " + Fam->Release + "() before returning";
    return Fx;
  }
  if (F.Loc.Line != Last || F.Loc.Column != 1) return std::nullopt;
  // Falling off the end: indent like the body's first statement.
  size_t Brace = S.find('{');
  if (Brace == std::string::npos) return std::nullopt;
  std::string Indent;
  for (unsigned L = FT.lineOf(Brace) + 1; L < Last && Indent.empty(); ++L)
    if (!trimRight((*Code)[L - 1]).empty()) Indent = indentOf(L);
  if (Indent.empty()) return std::nullopt;
  FixSuggestion Fx;
  Fx.File = F.Loc.File;
  Fx.StartLine = Last;
  Fx.Text = Indent + Fam->Release + "(" + Arg + ");\n";
  Fx.Description = "Release '" + F.Variable + "' with " + Fam->Release + "() before leaving " +
                   F.Function + "()";
  return Fx;
}

/// The put before the `goto` through which the leaking path reaches the exit: the body of the
/// `if` of the path's last branch, jumping to a label from which the code runs to the exit
/// without touching the variable.
std::optional<FixSuggestion> LeakFixer::atGoto() {
  const std::string &S = FT.Code;
  const PathStep *B = nullptr;
  for (size_t I = F.Path.size(); I-- > 0;)
    if (F.Path[I].Kind == StepKind::Branch) {
      B = &F.Path[I];
      break;
    }
  if (!B || B->Loc.File != F.Loc.File || B->Loc.Line <= F.AcquireLoc.Line ||
      B->Loc.Line >= F.Loc.Line || !B->Loc.Column)
    return std::nullopt;
  size_t Bp = FT.at(B->Loc.Line, B->Loc.Column);
  // The `if (` whose condition holds the branch (it may start a few lines up).
  size_t Limit = FT.at(std::max(First, B->Loc.Line > 3 ? B->Loc.Line - 3 : 1u), 1);
  size_t Open = std::string::npos;
  for (size_t I = Bp + 1; I-- > Limit;)
    if (S[I] == '(' && prevWord(S, I) == "if") {
      size_t C = matchingParen(S, I);
      if (C != std::string::npos && C >= Bp) {
        Open = I;
        break;
      }
    }
  if (Open == std::string::npos) return std::nullopt;
  size_t Close = matchingParen(S, Open), G = S.size();  // S.size(): no goto (nothing follows)
  char Next = nextChar(S, Close + 1, &G);
  if (Next == '{') {
    // A block: its last statement is the goto.
    int Depth = 0;
    size_t End = std::string::npos;
    for (size_t I = G; I < S.size(); ++I) {
      if (S[I] == '{') ++Depth;
      else if (S[I] == '}' && --Depth == 0) {
        End = I;
        break;
      }
    }
    if (End == std::string::npos) return std::nullopt;
    size_t Semi;
    if (prevChar(S, End, &Semi) != ';') return std::nullopt;
    size_t Stmt = S.rfind("goto", Semi);
    if (Stmt == std::string::npos || Stmt < G || (Stmt > 0 && isIdent(S[Stmt - 1])) ||
        !statementBoundaryBefore(S, Stmt))
      return std::nullopt;
    G = Stmt;
  }
  if (S.compare(G, 4, "goto") != 0 || isIdent(S[G + 4])) return std::nullopt;
  size_t LabelAt = 0;
  if (!isIdent(nextChar(S, G + 4, &LabelAt))) return std::nullopt;
  size_t LabelEnd = LabelAt;
  while (LabelEnd < S.size() && isIdent(S[LabelEnd])) ++LabelEnd;
  std::string Label = S.substr(LabelAt, LabelEnd - LabelAt);
  size_t Semi;
  if (nextChar(S, LabelEnd, &Semi) != ';') return std::nullopt;
  // The label, between the goto and the exit, and the way from it to the exit.
  std::smatch M;
  std::string Tail = S.substr(Semi, ExitPos - Semi);
  if (!std::regex_search(Tail, M, std::regex("(^|[;{}])\\s*" + Label + "\\s*:(?!:)")))
    return std::nullopt;
  std::string Way = Tail.substr(M.position(0) + M.length(0));
  if (!occurrences(Way, F.Variable, 0, Way.size()).empty()) return std::nullopt;
  static const std::regex Jumps("\\b(return|goto|break|continue|case|default)\\b");
  if (std::regex_search(Way, Jumps)) return std::nullopt;
  if (S.compare(ExitPos, 6, "return") == 0) {
    size_t ESemi = S.find(';', ExitPos);
    if (ESemi == std::string::npos || !occurrences(S, F.Variable, ExitPos, ESemi).empty())
      return std::nullopt;
  } else if (F.Loc.Line != Last || F.Loc.Column != 1) {
    return std::nullopt;
  }
  if (!cleanUpTo(G)) return std::nullopt;
  std::optional<FixSuggestion> Fx = putBefore(G, Semi);
  if (Fx)
    Fx->Description = "Release '" + F.Variable + "' with " + Fam->Release + "() before the goto " +
                      Label;
  return Fx;
}

std::optional<FixSuggestion> LeakFixer::run() {
  if (!setUp()) return std::nullopt;
  if (std::optional<FixSuggestion> Fx = atExit()) return Fx;
  return atGoto();
}

}  // namespace

std::optional<FixSuggestion> suggestFix(const Finding &F, const RuleSet &Rules, SourceCache &Src) {
  return LeakFixer(F, Rules, Src).run();
}

// ---------------------------------------------------------------------------------------------
// Unified diff

std::string unifiedDiff(const std::vector<FixSuggestion> &Fixes, const std::string &SrcRoot,
                        SourceCache &Src, std::vector<std::string> &Skipped) {
  struct Edit {
    unsigned Start, Deleted;
    std::vector<std::string> Added;
  };
  auto SplitLines = [](const std::string &T) {
    std::vector<std::string> Out;
    std::istringstream In(T);
    std::string Ln;
    while (std::getline(In, Ln)) Out.push_back(Ln);
    return Out;
  };
  // Per file (relative path): its absolute path and its edits, in order, none overlapping.
  std::map<std::string, std::pair<std::string, std::vector<Edit>>> ByFile;
  for (const FixSuggestion &Fx : Fixes) {
    std::string Rel = relativeTo(Fx.File, SrcRoot);
    const std::vector<std::string> *L = Src.lines(Fx.File);
    if (Rel.empty() || !L || Fx.StartLine == 0 || Fx.StartLine + Fx.DeletedLines > L->size() + 1 ||
        Fx.StartLine > L->size()) {
      Skipped.push_back(Fx.File);
      continue;
    }
    auto &Entry = ByFile[Rel];
    Entry.first = Fx.File;
    Edit E{Fx.StartLine, Fx.DeletedLines, SplitLines(Fx.Text)};
    bool Drop = false;
    for (Edit &O : Entry.second) {
      if (!O.Deleted && !E.Deleted && O.Start == E.Start) {
        // Two insertions before the same line: both, once.
        if (std::search(O.Added.begin(), O.Added.end(), E.Added.begin(), E.Added.end()) ==
            O.Added.end())
          O.Added.insert(O.Added.end(), E.Added.begin(), E.Added.end());
        Drop = true;
        break;
      }
      unsigned OEnd = O.Start + std::max(O.Deleted, 1u), EEnd = E.Start + std::max(E.Deleted, 1u);
      if (E.Start < OEnd && O.Start < EEnd) {
        if (!(O.Start == E.Start && O.Deleted == E.Deleted && O.Added == E.Added))
          Skipped.push_back(Fx.File);  // overlaps an edit already in the patch
        Drop = true;
        break;
      }
    }
    if (!Drop) Entry.second.push_back(std::move(E));
  }

  const unsigned Ctx = 3;
  std::string Out;
  for (auto &[Rel, Entry] : ByFile) {
    const std::vector<std::string> &L = *Src.lines(Entry.first);
    const bool FinalNL = Src.endsWithNewline(Entry.first);
    const unsigned N = L.size();
    std::vector<Edit> &Edits = Entry.second;
    std::stable_sort(Edits.begin(), Edits.end(),
                     [](const Edit &A, const Edit &B) { return A.Start < B.Start; });
    Out += "diff --git a/" + Rel + " b/" + Rel + "\n--- a/" + Rel + "\n+++ b/" + Rel + "\n";
    // Hunks: runs of edits whose context windows touch.
    std::vector<std::pair<size_t, size_t>> Hunks;  // [first edit, last edit]
    unsigned PrevHi = 0;
    for (size_t I = 0; I < Edits.size(); ++I) {
      unsigned Lo = Edits[I].Start > Ctx ? Edits[I].Start - Ctx : 1;
      if (I && Lo <= PrevHi + 1) Hunks.back().second = I;
      else Hunks.push_back({I, I});
      PrevHi = std::min(N, Edits[I].Start + Edits[I].Deleted + Ctx - 1);
    }
    long Shift = 0;
    for (auto [A, B] : Hunks) {
      unsigned Lo = Edits[A].Start > Ctx ? Edits[A].Start - Ctx : 1;
      unsigned Hi = std::min(N, Edits[B].Start + Edits[B].Deleted + Ctx - 1);
      std::string Body;
      unsigned OldCount = 0, NewCount = 0;
      size_t E = A;
      auto Context = [&](unsigned Ln) {
        Body += " " + L[Ln - 1] + "\n";
        if (Ln == N && !FinalNL) Body += "\\ No newline at end of file\n";
        ++OldCount;
        ++NewCount;
      };
      for (unsigned Ln = Lo; Ln <= Hi;) {
        if (E <= B && Edits[E].Start == Ln) {
          for (unsigned D = 0; D < Edits[E].Deleted; ++D) {
            Body += "-" + L[Ln + D - 1] + "\n";
            ++OldCount;
          }
          for (const std::string &Add : Edits[E].Added) {
            Body += "+" + Add + "\n";
            ++NewCount;
          }
          Ln += Edits[E].Deleted;
          ++E;
          continue;
        }
        Context(Ln++);
      }
      Out += "@@ -" + std::to_string(Lo) + "," + std::to_string(OldCount) + " +" +
             std::to_string(long(Lo) + Shift) + "," + std::to_string(NewCount) + " @@\n" + Body;
      Shift += long(NewCount) - long(OldCount);
    }
  }
  return Out;
}

}  // namespace krefcheck
