#include "infer/Infer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>
#include <set>
#include <sstream>

namespace krefcheck {

namespace {

std::string trim(const std::string &S) {
  size_t B = S.find_first_not_of(" \t\r\n");
  if (B == std::string::npos) return "";
  size_t E = S.find_last_not_of(" \t\r\n");
  return S.substr(B, E - B + 1);
}

bool isIdent(char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; }

struct Sentence {
  std::string Text;
  unsigned Line;
  bool InReturnSection;
};

/// The comment's text split into sentences (each with its first line); "Return:"/"Returns"
/// sections are marked, so "refcount incremented" there is about the return value.
std::vector<Sentence> sentencesOf(const std::string &Comment, unsigned FirstLine) {
  std::vector<Sentence> Out;
  std::istringstream In(Comment);
  std::string Cur;
  unsigned CurLine = 0, Line = FirstLine;
  bool Ret = false, CurRet = false;
  auto Flush = [&]() {
    std::string T = trim(Cur);
    if (!T.empty()) Out.push_back({T, CurLine, CurRet});
    Cur.clear();
  };
  for (std::string L; std::getline(In, L); ++Line) {
    // Strip the comment decoration: "/**", " * ", "*/".
    std::string T = trim(L);
    if (T.rfind("/**", 0) == 0) T = T.substr(3);
    if (T.size() >= 2 && T.compare(T.size() - 2, 2, "*/") == 0) T = T.substr(0, T.size() - 2);
    T = trim(T);
    if (!T.empty() && T[0] == '*') T = trim(T.substr(1));
    if (T.empty()) {  // a paragraph ends
      Flush();
      Ret = false;
      continue;
    }
    std::string Lower = T;
    std::transform(Lower.begin(), Lower.end(), Lower.begin(), ::tolower);
    if (Lower.rfind("return:", 0) == 0 || Lower.rfind("returns:", 0) == 0 ||
        Lower.rfind("returns ", 0) == 0 || Lower.rfind("return ", 0) == 0 ||
        Lower.rfind("return value:", 0) == 0) {
      Flush();
      Ret = true;
    } else if (T[0] == '@' || (Lower.rfind("context:", 0) == 0)) {
      Flush();
      Ret = false;
    }
    // Split into sentences at ". " boundaries inside the line.
    size_t Pos = 0;
    while (Pos < T.size()) {
      if (Cur.empty()) {
        CurLine = Line;
        CurRet = Ret;
      }
      size_t Dot = T.find(". ", Pos);
      if (Dot == std::string::npos) {
        Cur += (Cur.empty() ? "" : " ") + T.substr(Pos);
        if (T.back() == '.') Flush();
        break;
      }
      Cur += (Cur.empty() ? "" : " ") + T.substr(Pos, Dot + 1 - Pos);
      Flush();
      Pos = Dot + 2;
    }
  }
  Flush();
  return Out;
}

std::string lower(std::string S) {
  std::transform(S.begin(), S.end(), S.begin(), ::tolower);
  return S;
}

/// "struct device_node *np" -> ("struct device_node", "np", pointer?)
struct Decl {
  std::string Type, Name;
  bool Pointer = false;
};

Decl parseDecl(std::string S) {
  Decl D;
  S = trim(S);
  size_t B = S.find('[');
  if (B != std::string::npos) S = S.substr(0, B);
  S = trim(S);
  size_t E = S.size();
  size_t Start = E;
  while (Start > 0 && isIdent(S[Start - 1])) --Start;
  D.Name = S.substr(Start, E - Start);
  std::string T = S.substr(0, Start);
  D.Pointer = T.find('*') != std::string::npos;
  for (const char *Q : {"const ", "volatile ", "static ", "inline ", "extern ", "__must_check ",
                        "__init ", "__weak ", "notrace "}) {
    size_t P;
    while ((P = T.find(Q)) != std::string::npos) T.erase(P, strlen(Q));
  }
  T.erase(std::remove(T.begin(), T.end(), '*'), T.end());
  D.Type = trim(T);
  return D;
}

std::string familyOfType(const std::string &Type, const RuleSet &Rules) {
  for (auto &[N, F] : Rules.families())
    if (!F.Type.empty() && Type.size() >= F.Type.size() &&
        Type.compare(Type.size() - F.Type.size(), F.Type.size(), F.Type) == 0)
      return N;
  return "";
}

std::string familyOfApiIn(const std::string &Sentence, const RuleSet &Rules) {
  for (auto &[N, F] : Rules.families()) {
    size_t P = Sentence.find(F.Release);
    if (P != std::string::npos &&
        (P + F.Release.size() >= Sentence.size() || !isIdent(Sentence[P + F.Release.size()])) &&
        (P == 0 || !isIdent(Sentence[P - 1])))
      return N;
  }
  return "";
}

bool negated(const std::string &L) {
  static const std::regex Neg(
      R"(\b(not|n't|never|without|no)\b[^.]{0,40}\b(refcount|reference|ref|increment|incremented|taken|held|drop|dropped|put)\b)");
  static const std::regex Borrowed(R"(\bborrowed\b)");
  return std::regex_search(L, Neg) || std::regex_search(L, Borrowed);
}

}  // namespace

std::vector<DocClaim> scanKernelDoc(const std::string &Text, const std::string &File,
                                    const RuleSet &Rules) {
  std::vector<DocClaim> Out;
  // Return-value claims.
  static const std::regex RefIncremented(
      R"(\b(refcount|reference count|ref count|reference|refcnt)\s+(is\s+|has\s+been\s+|already\s+)?(incremented|increased|raised|elevated|taken|grabbed|held|acquired|bumped)\b)");
  static const std::regex IncrementedRef(
      R"(\b(increments?|increased?|raises?|takes?|grabs?|acquires?|holds?|bumps?)\s+(a|the|its|one|an extra)\s+(refcount|reference|reference count|ref)\b)");
  static const std::regex PutOnIt(
      R"(\b(\w+)\(\)\s+(on\s+it|on\s+the\s+return\w*|on\s+the\s+result|on\s+the\s+(node|device|handle|pointer|fwnode|returned \w+))\b)");
  static const std::regex CallerMust(
      R"(\bcaller\b[^.]*?\b(must|should|has to|needs to|is responsible|responsible)\b[^.]*?\b(\w+)\(\))");
  static const std::regex MustBeReleased(
      R"(\b(must|should|needs to)\s+be\s+(released|dropped|put|freed|balanced)\s+(with|using|by|via|through)\s+(a\s+call\s+to\s+)?(\w+)\(\))");
  // Argument claims.
  static const std::regex CalledOnParam(
      R"(\b(\w+)\(\)\s+(will\s+be|is|gets)\s+called\s+(on|for|against)\s+@(\w+))");
  static const std::regex DropsRefOfParam(
      R"(\b(drops?|decrements?|releases?|puts?|decreases?|consumes?)\s+(the\s+|a\s+|one\s+)?(reference|refcount|ref)(\s+count)?\s+(of|on|to|for|held\s+on|held\s+by|taken\s+on)\s+@(\w+))");
  static const std::regex ParamRefDropped(
      R"(@(\w+)('s)?\s+(reference|refcount|ref)(\s+count)?\s+(is|will\s+be|gets)\s+(dropped|decremented|released|decreased|put))");
  static const std::regex RefToParamDropped(
      R"(\b(reference|refcount)\s+(to|on|of)\s+@(\w+)\s+(is|will\s+be|gets)\s+(dropped|decremented|released|put))");

  unsigned LineAt = 1;
  size_t Scanned = 0;
  auto LineOf = [&](size_t Pos) {
    LineAt += std::count(Text.begin() + Scanned, Text.begin() + Pos, '\n');
    Scanned = Pos;
    return LineAt;
  };
  for (size_t Pos = Text.find("/**"); Pos != std::string::npos; Pos = Text.find("/**", Pos + 3)) {
    size_t End = Text.find("*/", Pos + 3);
    if (End == std::string::npos) break;
    unsigned First = LineOf(Pos);
    std::string Comment = Text.substr(Pos, End + 2 - Pos);
    // The declaration that follows: up to '{' or ';'.
    size_t DeclStart = Text.find_first_not_of(" \t\r\n", End + 2);
    if (DeclStart == std::string::npos) break;
    if (Text[DeclStart] == '#') continue;  // a macro
    size_t DeclEnd = Text.find_first_of("{;", DeclStart);
    if (DeclEnd == std::string::npos) break;
    std::string Proto = Text.substr(DeclStart, DeclEnd - DeclStart);
    size_t Open = Proto.find('(');
    if (Open == std::string::npos || Proto.find('=') < Open) continue;
    if (Proto.rfind("struct", 0) == 0 && Proto.find('(') > Proto.find('\n') &&
        Proto.find('*') == std::string::npos)
      continue;
    Decl Fn = parseDecl(Proto.substr(0, Open));
    if (Fn.Name.empty() || Fn.Type.empty() || Fn.Type.find("typedef") != std::string::npos ||
        Fn.Type.find("#define") != std::string::npos)
      continue;
    size_t Close = Proto.rfind(')');
    if (Close == std::string::npos || Close < Open) continue;
    std::vector<Decl> Params;
    {
      std::string List = Proto.substr(Open + 1, Close - Open - 1);
      int Depth = 0;
      std::string Cur;
      for (char C : List) {
        if (C == '(') ++Depth;
        if (C == ')') --Depth;
        if (C == ',' && Depth == 0) {
          Params.push_back(parseDecl(Cur));
          Cur.clear();
        } else {
          Cur += C;
        }
      }
      if (!trim(Cur).empty() && trim(Cur) != "void") Params.push_back(parseDecl(Cur));
    }
    DocClaim D;
    D.Function = Fn.Name;
    D.File = File;
    D.PointerReturn = Fn.Pointer;
    for (const Sentence &S : sentencesOf(Comment, First)) {
      std::string L = lower(S.Text);
      if (negated(L)) continue;
      std::smatch M;
      bool MentionsParam = S.Text.find('@') != std::string::npos;
      // The return value.
      if (Fn.Pointer) {
        bool Ret = false;
        std::string Api;
        if (std::regex_search(S.Text, M, PutOnIt)) {
          Api = M[1];
          Ret = true;
        } else if (std::regex_search(S.Text, M, MustBeReleased) && !MentionsParam) {
          Api = M[5];
          Ret = true;
        } else if (std::regex_search(S.Text, M, CallerMust) && !MentionsParam) {
          Api = M[2];
          Ret = true;
        } else if ((S.InReturnSection || L.find("return") != std::string::npos) && !MentionsParam &&
                   (std::regex_search(L, RefIncremented) || std::regex_search(L, IncrementedRef))) {
          Ret = true;
        }
        if (Ret) {
          std::string Fam = familyOfApiIn(Api.empty() ? S.Text : Api + "()", Rules);
          if (Fam.empty() && !Api.empty()) Fam = familyOfApiIn(S.Text, Rules);
          if (Fam.empty() && Api.empty()) Fam = familyOfType(Fn.Type, Rules);
          if (!Fam.empty() && (D.Family.empty() || D.Family == Fam)) {
            D.ReturnsRef = true;
            D.Family = Fam;
            D.Line = D.Line ? D.Line : S.Line;
            D.Sentences.push_back(File + ":" + std::to_string(S.Line) + ": " + S.Text);
          }
        }
      }
      // The arguments.
      std::string Param, Api;
      if (std::regex_search(S.Text, M, CalledOnParam)) {
        Api = M[1];
        Param = M[4];
      } else if (std::regex_search(L, M, DropsRefOfParam)) {
        Param = M[6];
      } else if (std::regex_search(L, M, ParamRefDropped)) {
        Param = M[1];
      } else if (std::regex_search(L, M, RefToParamDropped)) {
        Param = M[3];
      }
      if (!Param.empty()) {
        for (unsigned I = 0; I < Params.size(); ++I) {
          if (lower(Params[I].Name) != lower(Param) || !Params[I].Pointer) continue;
          std::string Fam =
              Api.empty() ? familyOfApiIn(S.Text, Rules) : familyOfApiIn(Api + "()", Rules);
          if (Fam.empty()) Fam = familyOfType(Params[I].Type, Rules);
          if (Fam.empty()) break;
          bool Dup = false;
          for (auto &[K, F] : D.Releases) Dup |= K == I;
          if (!Dup) D.Releases.push_back({I, Fam});
          D.Line = D.Line ? D.Line : S.Line;
          D.Sentences.push_back(File + ":" + std::to_string(S.Line) + ": " + S.Text);
          break;
        }
      }
    }
    if (D.ReturnsRef || !D.Releases.empty()) Out.push_back(std::move(D));
  }
  return Out;
}

std::vector<InferredRule> combineInferred(const std::vector<FunctionRule> &Summaries,
                                          const std::vector<DocClaim> &Claims,
                                          const RuleSet &Shipped) {
  std::map<std::string, InferredRule> By;
  for (const FunctionRule &S : Summaries) {
    bool Useful = S.Returns == ReturnEffect::Acquired;
    for (const ArgRule &A : S.Args) Useful |= meaningOf(A.Effect).releases();
    if (!Useful) continue;
    InferredRule &I = By[S.Name];
    I.FromSummary = true;
    I.Rule = S;
    I.Rule.Args.clear();
    for (const ArgRule &A : S.Args)
      if (meaningOf(A.Effect).releases()) I.Rule.Args.push_back(A);
    I.Rule.Evidence.push_back(S.Origin + (S.Note.empty() ? "" : ": " + S.Note));
  }
  for (const DocClaim &D : Claims) {
    InferredRule &I = By[D.Function];
    I.FromDoc = true;
    FunctionRule &R = I.Rule;
    R.Name = D.Function;
    if (D.ReturnsRef && R.Returns == ReturnEffect::None) {
      R.Returns = ReturnEffect::Acquired;
      R.Family = D.Family;
      R.MayBeNull = true;
    }
    for (auto &[Idx, Fam] : D.Releases) {
      if (R.argRule(Idx)) continue;
      ArgRule A;
      A.Index = Idx;
      A.Effect = ArgEffect::Release;
      A.Family = Fam;
      R.Args.push_back(A);
    }
    if (R.Family.empty())
      for (const ArgRule &A : R.Args)
        if (!A.Family.empty()) R.Family = A.Family;
    for (const std::string &S : D.Sentences) R.Evidence.push_back(S);
  }
  std::vector<InferredRule> Out;
  for (auto &[Name, I] : By) {
    FunctionRule &R = I.Rule;
    std::sort(R.Args.begin(), R.Args.end(),
              [](const ArgRule &A, const ArgRule &B) { return A.Index < B.Index; });
    // An argument of the function's own family needs no family of its own.
    for (ArgRule &A : R.Args)
      if (A.Family == R.Family) A.Family.clear();
    R.Note =
        std::string("inferred from ") + (I.FromSummary && I.FromDoc ? "its body and its kernel-doc"
                                         : I.FromSummary            ? "its body"
                                                                    : "its kernel-doc");
    R.Origin = "inferred";
    if (const FunctionRule *S = Shipped.function(Name)) {
      I.Shipped = true;
      bool ShipRet = S->Returns == ReturnEffect::Acquired || S->Returns == ReturnEffect::Arg;
      bool Ret = R.Returns == ReturnEffect::Acquired;
      std::string Why;
      if (Ret && !ShipRet) Why = "returns a reference, rules/ says it does not";
      if (Ret && ShipRet && S->Family != R.Family)
        Why = "family " + R.Family + ", rules/ says " + S->Family;
      for (const ArgRule &A : R.Args) {
        const ArgRule *B = S->argRule(A.Index);
        if (!B || (B->Effect != ArgEffect::Release && B->Effect != ArgEffect::ReleaseOnFailure &&
                   B->Effect != ArgEffect::Transfer && B->Effect != ArgEffect::TransferOnSuccess))
          Why += std::string(Why.empty() ? "" : "; ") + "releases argument " +
                 std::to_string(A.Index) + ", rules/ says " + (B ? toString(B->Effect) : "borrow");
      }
      I.AgreesWithShipped = Why.empty();
      I.Disagreement = Why;
    }
    Out.push_back(std::move(I));
  }
  return Out;
}

}  // namespace krefcheck
