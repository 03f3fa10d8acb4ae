"""The __init__ of every record class, compiled with the package rather than at each start
(see fixer.records). Written by `python -m fixer._record_inits`: do not edit.
"""
# ruff: noqa: E501

SOURCES = {
    'fixer.config.Settings': (
        'def __init__(self, source=_d0, select=_d1, extend_select=_MISSING, ignore=_MISSING, unsafe_fixes=_d4, per_file_ignores=_MISSING, runtime_base=_d6, runtime_image=_d7, user=_d8, context=_d9, context_how=_d10, base_image_pins=_MISSING, healthcheck=_MISSING, compose_limits=_MISSING, extend_exclude=_MISSING):\n'
        '    self.source = source\n'
        '    self.select = select\n'
        '    extend_select = _f2() if extend_select is _MISSING else extend_select\n'
        '    self.extend_select = extend_select\n'
        '    ignore = _f3() if ignore is _MISSING else ignore\n'
        '    self.ignore = ignore\n'
        '    self.unsafe_fixes = unsafe_fixes\n'
        '    per_file_ignores = _f5() if per_file_ignores is _MISSING else per_file_ignores\n'
        '    self.per_file_ignores = per_file_ignores\n'
        '    self.runtime_base = runtime_base\n'
        '    self.runtime_image = runtime_image\n'
        '    self.user = user\n'
        '    self.context = context\n'
        '    self.context_how = context_how\n'
        '    base_image_pins = _f11() if base_image_pins is _MISSING else base_image_pins\n'
        '    self.base_image_pins = base_image_pins\n'
        '    healthcheck = _f12() if healthcheck is _MISSING else healthcheck\n'
        '    self.healthcheck = healthcheck\n'
        '    compose_limits = _f13() if compose_limits is _MISSING else compose_limits\n'
        '    self.compose_limits = compose_limits\n'
        '    extend_exclude = _f14() if extend_exclude is _MISSING else extend_exclude\n'
        '    self.extend_exclude = extend_exclude'
    ),
    'fixer.context.build_context.GoModule': (
        'def __init__(self, path, go, toolchain, local_replacements=_d3):\n'
        "    _set(self, 'path', path)\n"
        "    _set(self, 'go', go)\n"
        "    _set(self, 'toolchain', toolchain)\n"
        "    _set(self, 'local_replacements', local_replacements)"
    ),
    'fixer.context.build_context.GoSources': (
        'def __init__(self, main_packages, imports, loads_time_zones, serves_http, complete, files=_d5, uses_home=_d6):\n'
        "    _set(self, 'main_packages', main_packages)\n"
        "    _set(self, 'imports', imports)\n"
        "    _set(self, 'loads_time_zones', loads_time_zones)\n"
        "    _set(self, 'serves_http', serves_http)\n"
        "    _set(self, 'complete', complete)\n"
        "    _set(self, 'files', files)\n"
        "    _set(self, 'uses_home', uses_home)"
    ),
    'fixer.context.dockerignore.IgnorePattern': (
        'def __init__(self, text, exclusion, line):\n'
        "    _set(self, 'text', text)\n"
        "    _set(self, 'exclusion', exclusion)\n"
        "    _set(self, 'line', line)"
    ),
    'fixer.engine.fix.FixResult': (
        'def __init__(self, source, output, applied=_MISSING, remaining=_MISSING, files=_MISSING):\n'
        '    self.source = source\n'
        '    self.output = output\n'
        '    applied = _f2() if applied is _MISSING else applied\n'
        '    self.applied = applied\n'
        '    remaining = _f3() if remaining is _MISSING else remaining\n'
        '    self.remaining = remaining\n'
        '    files = _f4() if files is _MISSING else files\n'
        '    self.files = files'
    ),
    'fixer.engine.suppression.Suppression': (
        'def __init__(self, line, scope, rules, first, last, from_hadolint=_d5, used=_MISSING, problem=_d7, key=_d8):\n'
        '    self.line = line\n'
        '    self.scope = scope\n'
        '    self.rules = rules\n'
        '    self.first = first\n'
        '    self.last = last\n'
        '    self.from_hadolint = from_hadolint\n'
        '    used = _f6() if used is _MISSING else used\n'
        '    self.used = used\n'
        '    self.problem = problem\n'
        '    self.key = key'
    ),
    'fixer.files.SourceFile': (
        'def __init__(self, path, text, mode):\n'
        '    self.path = path\n'
        '    self.text = text\n'
        '    self.mode = mode'
    ),
    'fixer.rules.base.Checker': (
        'def __init__(self, tree, context=_d1, options=_MISSING):\n'
        '    self.tree = tree\n'
        '    self.context = context\n'
        '    options = _f2() if options is _MISSING else options\n'
        '    self.options = options'
    ),
    'fixer.rules.base.Diagnostic': (
        'def __init__(self, rule, line, message, fix=_d3, end_line=_d4, source_line=_d5):\n'
        '    self.rule = rule\n'
        '    self.line = line\n'
        '    self.message = message\n'
        '    self.fix = fix\n'
        '    self.end_line = end_line\n'
        '    self.source_line = source_line\n'
        '    self.__post_init__()'
    ),
    'fixer.rules.base.Edit': (
        'def __init__(self, start, end, replacement):\n'
        "    _set(self, 'start', start)\n"
        "    _set(self, 'end', end)\n"
        "    _set(self, 'replacement', replacement)"
    ),
    'fixer.rules.base.FileChange': (
        'def __init__(self, path, before, after, merge=_d3):\n'
        "    _set(self, 'path', path)\n"
        "    _set(self, 'before', before)\n"
        "    _set(self, 'after', after)\n"
        "    _set(self, 'merge', merge)"
    ),
    'fixer.rules.base.Fix': (
        'def __init__(self, edits, applicability=_d1, files=_d2):\n'
        "    _set(self, 'edits', edits)\n"
        "    _set(self, 'applicability', applicability)\n"
        "    _set(self, 'files', files)"
    ),
    'fixer.rules.base.Rule': (
        'def __init__(self, id, name, summary, check, doc=_d4, default=_d5, fix_safety=_d6, hadolint=_d7, buildkit=_d8, kind=_d9):\n'
        "    _set(self, 'id', id)\n"
        "    _set(self, 'name', name)\n"
        "    _set(self, 'summary', summary)\n"
        "    _set(self, 'check', check)\n"
        "    _set(self, 'doc', doc)\n"
        "    _set(self, 'default', default)\n"
        "    _set(self, 'fix_safety', fix_safety)\n"
        "    _set(self, 'hadolint', hadolint)\n"
        "    _set(self, 'buildkit', buildkit)\n"
        "    _set(self, 'kind', kind)"
    ),
    'fixer.rules.compose.secret_environment._EnvExample': (
        'def __init__(self, keys):\n'
        "    _set(self, 'keys', keys)"
    ),
    'fixer.rules.compose.support.Where': (
        'def __init__(self, start_line, end_line):\n'
        "    _set(self, 'start_line', start_line)\n"
        "    _set(self, 'end_line', end_line)"
    ),
    'fixer.rules.dockerignore._Replan': (
        'def __init__(self, sources):\n'
        "    _set(self, 'sources', sources)"
    ),
    'fixer.rules.gobuild.GoBuild': (
        'def __init__(self, instruction, script, command, subcommand, flags, environment):\n'
        '    self.instruction = instruction\n'
        '    self.script = script\n'
        '    self.command = command\n'
        '    self.subcommand = subcommand\n'
        '    self.flags = flags\n'
        '    self.environment = environment'
    ),
    'fixer.rules.images.ImageRef': (
        'def __init__(self, text, repository, tag, digest):\n'
        "    _set(self, 'text', text)\n"
        "    _set(self, 'repository', repository)\n"
        "    _set(self, 'tag', tag)\n"
        "    _set(self, 'digest', digest)"
    ),
    'fixer.run.FileResult': (
        'def __init__(self, path, source=_d1, output=_d2, applied=_MISSING, remaining=_MISSING, files=_MISSING, context=_d6, context_how=_d7, error=_d8, error_line=_d9, mode=_d10):\n'
        '    self.path = path\n'
        '    self.source = source\n'
        '    self.output = output\n'
        '    applied = _f3() if applied is _MISSING else applied\n'
        '    self.applied = applied\n'
        '    remaining = _f4() if remaining is _MISSING else remaining\n'
        '    self.remaining = remaining\n'
        '    files = _f5() if files is _MISSING else files\n'
        '    self.files = files\n'
        '    self.context = context\n'
        '    self.context_how = context_how\n'
        '    self.error = error\n'
        '    self.error_line = error_line\n'
        '    self.mode = mode'
    ),
    'fixer.run.Finding': (
        'def __init__(self, rule_id, rule_name, line, end_line, message, fix, output_line=_d6):\n'
        "    _set(self, 'rule_id', rule_id)\n"
        "    _set(self, 'rule_name', rule_name)\n"
        "    _set(self, 'line', line)\n"
        "    _set(self, 'end_line', end_line)\n"
        "    _set(self, 'message', message)\n"
        "    _set(self, 'fix', fix)\n"
        "    _set(self, 'output_line', output_line)"
    ),
    'fixer.run.Overrides': (
        'def __init__(self, select=_d0, extend_select=_MISSING, ignore=_MISSING, unsafe_fixes=_d3, extend_exclude=_MISSING, runtime_base=_d5, context=_d6, config=_d7, isolated=_d8):\n'
        '    self.select = select\n'
        '    extend_select = _f1() if extend_select is _MISSING else extend_select\n'
        '    self.extend_select = extend_select\n'
        '    ignore = _f2() if ignore is _MISSING else ignore\n'
        '    self.ignore = ignore\n'
        '    self.unsafe_fixes = unsafe_fixes\n'
        '    extend_exclude = _f4() if extend_exclude is _MISSING else extend_exclude\n'
        '    self.extend_exclude = extend_exclude\n'
        '    self.runtime_base = runtime_base\n'
        '    self.context = context\n'
        '    self.config = config\n'
        '    self.isolated = isolated'
    ),
    'fixer.syntax.compose.ComposeDocument': (
        'def __init__(self, text, data, line_starts):\n'
        '    self.text = text\n'
        '    self.data = data\n'
        '    self.line_starts = line_starts'
    ),
    'fixer.syntax.shell.Operator': (
        'def __init__(self, text, start, end):\n'
        '    self.text = text\n'
        '    self.start = start\n'
        '    self.end = end'
    ),
    'fixer.syntax.shell.Redirect': (
        'def __init__(self, operator, target, start, end):\n'
        '    self.operator = operator\n'
        '    self.target = target\n'
        '    self.start = start\n'
        '    self.end = end'
    ),
    'fixer.syntax.shell.Script': (
        'def __init__(self, text, commands, operators, comment_start=_d3, opaque=_d4, instruction=_d5, offset=_d6):\n'
        '    self.text = text\n'
        '    self.commands = commands\n'
        '    self.operators = operators\n'
        '    self.comment_start = comment_start\n'
        '    self.opaque = opaque\n'
        '    self.instruction = instruction\n'
        '    self.offset = offset'
    ),
    'fixer.syntax.shell.SimpleCommand': (
        'def __init__(self, start, end, reserved=_MISSING, assignments=_MISSING, words=_MISSING, redirects=_MISSING, compound_header=_d6):\n'
        '    self.start = start\n'
        '    self.end = end\n'
        '    reserved = _f2() if reserved is _MISSING else reserved\n'
        '    self.reserved = reserved\n'
        '    assignments = _f3() if assignments is _MISSING else assignments\n'
        '    self.assignments = assignments\n'
        '    words = _f4() if words is _MISSING else words\n'
        '    self.words = words\n'
        '    redirects = _f5() if redirects is _MISSING else redirects\n'
        '    self.redirects = redirects\n'
        '    self.compound_header = compound_header'
    ),
    'fixer.syntax.shell.Word': (
        'def __init__(self, start, end, raw, value, expands):\n'
        '    self.start = start\n'
        '    self.end = end\n'
        '    self.raw = raw\n'
        '    self.value = value\n'
        '    self.expands = expands'
    ),
    'fixer.syntax.tree.Blank': (
        'def __init__(self, span, start_line, end_line):\n'
        '    self.span = span\n'
        '    self.start_line = start_line\n'
        '    self.end_line = end_line'
    ),
    'fixer.syntax.tree.Comment': (
        'def __init__(self, span, start_line, end_line, text=_d3):\n'
        '    self.span = span\n'
        '    self.start_line = start_line\n'
        '    self.end_line = end_line\n'
        '    self.text = text'
    ),
    'fixer.syntax.tree.Directive': (
        'def __init__(self, span, start_line, end_line, name=_d3, value=_d4):\n'
        '    self.span = span\n'
        '    self.start_line = start_line\n'
        '    self.end_line = end_line\n'
        '    self.name = name\n'
        '    self.value = value'
    ),
    'fixer.syntax.tree.Dockerfile': (
        'def __init__(self, text, bom, nodes, escape, directives, warnings=_MISSING, shell_views=_MISSING, lexed=_MISSING, cache=_MISSING):\n'
        '    self.text = text\n'
        '    self.bom = bom\n'
        '    self.nodes = nodes\n'
        '    self.escape = escape\n'
        '    self.directives = directives\n'
        '    warnings = _f5() if warnings is _MISSING else warnings\n'
        '    self.warnings = warnings\n'
        '    shell_views = _f6() if shell_views is _MISSING else shell_views\n'
        '    self.shell_views = shell_views\n'
        '    lexed = _f7() if lexed is _MISSING else lexed\n'
        '    self.lexed = lexed\n'
        '    cache = _f8() if cache is _MISSING else cache\n'
        '    self.cache = cache'
    ),
    'fixer.syntax.tree.Flag': (
        'def __init__(self, text):\n'
        "    _set(self, 'text', text)"
    ),
    'fixer.syntax.tree.Heredoc': (
        'def __init__(self, name, file_descriptor, chomp, expand, content, body, terminator):\n'
        "    _set(self, 'name', name)\n"
        "    _set(self, 'file_descriptor', file_descriptor)\n"
        "    _set(self, 'chomp', chomp)\n"
        "    _set(self, 'expand', expand)\n"
        "    _set(self, 'content', content)\n"
        "    _set(self, 'body', body)\n"
        "    _set(self, 'terminator', terminator)"
    ),
    'fixer.syntax.tree.Instruction': (
        'def __init__(self, span, start_line, end_line, keyword=_d3, keyword_span=_d4, logical=_d5, flags=_d6, arguments_start=_d7, json=_d8, values=_d9, heredocs=_d10, sub=_d11):\n'
        '    self.span = span\n'
        '    self.start_line = start_line\n'
        '    self.end_line = end_line\n'
        '    self.keyword = keyword\n'
        '    self.keyword_span = keyword_span\n'
        '    self.logical = logical\n'
        '    self.flags = flags\n'
        '    self.arguments_start = arguments_start\n'
        '    self.json = json\n'
        '    self.values = values\n'
        '    self.heredocs = heredocs\n'
        '    self.sub = sub'
    ),
    'fixer.syntax.tree.LogicalLine': (
        'def __init__(self, text, pieces):\n'
        '    self.text = text\n'
        '    self.pieces = pieces'
    ),
    'fixer.syntax.tree.Node': (
        'def __init__(self, span, start_line, end_line):\n'
        '    self.span = span\n'
        '    self.start_line = start_line\n'
        '    self.end_line = end_line'
    ),
    'fixer.syntax.tree.Span': (
        'def __init__(self, start, end):\n'
        '    self.start = start\n'
        '    self.end = end'
    ),
    'fixer.syntax.tree.Stage': (
        'def __init__(self, index, from_, instructions, chain=_d3, name=_d4):\n'
        '    self.index = index\n'
        '    self.from_ = from_\n'
        '    self.instructions = instructions\n'
        '    self.chain = chain\n'
        '    self.name = name\n'
        '    self.__post_init__()'
    ),
}


def _fixer_config_Settings(_MISSING, _set, _d0, _d1, _f2, _f3, _d4, _f5, _d6, _d7, _d8, _d9, _d10, _f11, _f12, _f13, _f14):
    def __init__(self, source=_d0, select=_d1, extend_select=_MISSING, ignore=_MISSING, unsafe_fixes=_d4, per_file_ignores=_MISSING, runtime_base=_d6, runtime_image=_d7, user=_d8, context=_d9, context_how=_d10, base_image_pins=_MISSING, healthcheck=_MISSING, compose_limits=_MISSING, extend_exclude=_MISSING):
        self.source = source
        self.select = select
        extend_select = _f2() if extend_select is _MISSING else extend_select
        self.extend_select = extend_select
        ignore = _f3() if ignore is _MISSING else ignore
        self.ignore = ignore
        self.unsafe_fixes = unsafe_fixes
        per_file_ignores = _f5() if per_file_ignores is _MISSING else per_file_ignores
        self.per_file_ignores = per_file_ignores
        self.runtime_base = runtime_base
        self.runtime_image = runtime_image
        self.user = user
        self.context = context
        self.context_how = context_how
        base_image_pins = _f11() if base_image_pins is _MISSING else base_image_pins
        self.base_image_pins = base_image_pins
        healthcheck = _f12() if healthcheck is _MISSING else healthcheck
        self.healthcheck = healthcheck
        compose_limits = _f13() if compose_limits is _MISSING else compose_limits
        self.compose_limits = compose_limits
        extend_exclude = _f14() if extend_exclude is _MISSING else extend_exclude
        self.extend_exclude = extend_exclude
    return __init__


def _fixer_context_build_context_GoModule(_MISSING, _set, _d3):
    def __init__(self, path, go, toolchain, local_replacements=_d3):
        _set(self, 'path', path)
        _set(self, 'go', go)
        _set(self, 'toolchain', toolchain)
        _set(self, 'local_replacements', local_replacements)
    return __init__


def _fixer_context_build_context_GoSources(_MISSING, _set, _d5, _d6):
    def __init__(self, main_packages, imports, loads_time_zones, serves_http, complete, files=_d5, uses_home=_d6):
        _set(self, 'main_packages', main_packages)
        _set(self, 'imports', imports)
        _set(self, 'loads_time_zones', loads_time_zones)
        _set(self, 'serves_http', serves_http)
        _set(self, 'complete', complete)
        _set(self, 'files', files)
        _set(self, 'uses_home', uses_home)
    return __init__


def _fixer_context_dockerignore_IgnorePattern(_MISSING, _set):
    def __init__(self, text, exclusion, line):
        _set(self, 'text', text)
        _set(self, 'exclusion', exclusion)
        _set(self, 'line', line)
    return __init__


def _fixer_engine_fix_FixResult(_MISSING, _set, _f2, _f3, _f4):
    def __init__(self, source, output, applied=_MISSING, remaining=_MISSING, files=_MISSING):
        self.source = source
        self.output = output
        applied = _f2() if applied is _MISSING else applied
        self.applied = applied
        remaining = _f3() if remaining is _MISSING else remaining
        self.remaining = remaining
        files = _f4() if files is _MISSING else files
        self.files = files
    return __init__


def _fixer_engine_suppression_Suppression(_MISSING, _set, _d5, _f6, _d7, _d8):
    def __init__(self, line, scope, rules, first, last, from_hadolint=_d5, used=_MISSING, problem=_d7, key=_d8):
        self.line = line
        self.scope = scope
        self.rules = rules
        self.first = first
        self.last = last
        self.from_hadolint = from_hadolint
        used = _f6() if used is _MISSING else used
        self.used = used
        self.problem = problem
        self.key = key
    return __init__


def _fixer_files_SourceFile(_MISSING, _set):
    def __init__(self, path, text, mode):
        self.path = path
        self.text = text
        self.mode = mode
    return __init__


def _fixer_rules_base_Checker(_MISSING, _set, _d1, _f2):
    def __init__(self, tree, context=_d1, options=_MISSING):
        self.tree = tree
        self.context = context
        options = _f2() if options is _MISSING else options
        self.options = options
    return __init__


def _fixer_rules_base_Diagnostic(_MISSING, _set, _d3, _d4, _d5):
    def __init__(self, rule, line, message, fix=_d3, end_line=_d4, source_line=_d5):
        self.rule = rule
        self.line = line
        self.message = message
        self.fix = fix
        self.end_line = end_line
        self.source_line = source_line
        self.__post_init__()
    return __init__


def _fixer_rules_base_Edit(_MISSING, _set):
    def __init__(self, start, end, replacement):
        _set(self, 'start', start)
        _set(self, 'end', end)
        _set(self, 'replacement', replacement)
    return __init__


def _fixer_rules_base_FileChange(_MISSING, _set, _d3):
    def __init__(self, path, before, after, merge=_d3):
        _set(self, 'path', path)
        _set(self, 'before', before)
        _set(self, 'after', after)
        _set(self, 'merge', merge)
    return __init__


def _fixer_rules_base_Fix(_MISSING, _set, _d1, _d2):
    def __init__(self, edits, applicability=_d1, files=_d2):
        _set(self, 'edits', edits)
        _set(self, 'applicability', applicability)
        _set(self, 'files', files)
    return __init__


def _fixer_rules_base_Rule(_MISSING, _set, _d4, _d5, _d6, _d7, _d8, _d9):
    def __init__(self, id, name, summary, check, doc=_d4, default=_d5, fix_safety=_d6, hadolint=_d7, buildkit=_d8, kind=_d9):
        _set(self, 'id', id)
        _set(self, 'name', name)
        _set(self, 'summary', summary)
        _set(self, 'check', check)
        _set(self, 'doc', doc)
        _set(self, 'default', default)
        _set(self, 'fix_safety', fix_safety)
        _set(self, 'hadolint', hadolint)
        _set(self, 'buildkit', buildkit)
        _set(self, 'kind', kind)
    return __init__


def _fixer_rules_compose_secret_environment__EnvExample(_MISSING, _set):
    def __init__(self, keys):
        _set(self, 'keys', keys)
    return __init__


def _fixer_rules_compose_support_Where(_MISSING, _set):
    def __init__(self, start_line, end_line):
        _set(self, 'start_line', start_line)
        _set(self, 'end_line', end_line)
    return __init__


def _fixer_rules_dockerignore__Replan(_MISSING, _set):
    def __init__(self, sources):
        _set(self, 'sources', sources)
    return __init__


def _fixer_rules_gobuild_GoBuild(_MISSING, _set):
    def __init__(self, instruction, script, command, subcommand, flags, environment):
        self.instruction = instruction
        self.script = script
        self.command = command
        self.subcommand = subcommand
        self.flags = flags
        self.environment = environment
    return __init__


def _fixer_rules_images_ImageRef(_MISSING, _set):
    def __init__(self, text, repository, tag, digest):
        _set(self, 'text', text)
        _set(self, 'repository', repository)
        _set(self, 'tag', tag)
        _set(self, 'digest', digest)
    return __init__


def _fixer_run_FileResult(_MISSING, _set, _d1, _d2, _f3, _f4, _f5, _d6, _d7, _d8, _d9, _d10):
    def __init__(self, path, source=_d1, output=_d2, applied=_MISSING, remaining=_MISSING, files=_MISSING, context=_d6, context_how=_d7, error=_d8, error_line=_d9, mode=_d10):
        self.path = path
        self.source = source
        self.output = output
        applied = _f3() if applied is _MISSING else applied
        self.applied = applied
        remaining = _f4() if remaining is _MISSING else remaining
        self.remaining = remaining
        files = _f5() if files is _MISSING else files
        self.files = files
        self.context = context
        self.context_how = context_how
        self.error = error
        self.error_line = error_line
        self.mode = mode
    return __init__


def _fixer_run_Finding(_MISSING, _set, _d6):
    def __init__(self, rule_id, rule_name, line, end_line, message, fix, output_line=_d6):
        _set(self, 'rule_id', rule_id)
        _set(self, 'rule_name', rule_name)
        _set(self, 'line', line)
        _set(self, 'end_line', end_line)
        _set(self, 'message', message)
        _set(self, 'fix', fix)
        _set(self, 'output_line', output_line)
    return __init__


def _fixer_run_Overrides(_MISSING, _set, _d0, _f1, _f2, _d3, _f4, _d5, _d6, _d7, _d8):
    def __init__(self, select=_d0, extend_select=_MISSING, ignore=_MISSING, unsafe_fixes=_d3, extend_exclude=_MISSING, runtime_base=_d5, context=_d6, config=_d7, isolated=_d8):
        self.select = select
        extend_select = _f1() if extend_select is _MISSING else extend_select
        self.extend_select = extend_select
        ignore = _f2() if ignore is _MISSING else ignore
        self.ignore = ignore
        self.unsafe_fixes = unsafe_fixes
        extend_exclude = _f4() if extend_exclude is _MISSING else extend_exclude
        self.extend_exclude = extend_exclude
        self.runtime_base = runtime_base
        self.context = context
        self.config = config
        self.isolated = isolated
    return __init__


def _fixer_syntax_compose_ComposeDocument(_MISSING, _set):
    def __init__(self, text, data, line_starts):
        self.text = text
        self.data = data
        self.line_starts = line_starts
    return __init__


def _fixer_syntax_shell_Operator(_MISSING, _set):
    def __init__(self, text, start, end):
        self.text = text
        self.start = start
        self.end = end
    return __init__


def _fixer_syntax_shell_Redirect(_MISSING, _set):
    def __init__(self, operator, target, start, end):
        self.operator = operator
        self.target = target
        self.start = start
        self.end = end
    return __init__


def _fixer_syntax_shell_Script(_MISSING, _set, _d3, _d4, _d5, _d6):
    def __init__(self, text, commands, operators, comment_start=_d3, opaque=_d4, instruction=_d5, offset=_d6):
        self.text = text
        self.commands = commands
        self.operators = operators
        self.comment_start = comment_start
        self.opaque = opaque
        self.instruction = instruction
        self.offset = offset
    return __init__


def _fixer_syntax_shell_SimpleCommand(_MISSING, _set, _f2, _f3, _f4, _f5, _d6):
    def __init__(self, start, end, reserved=_MISSING, assignments=_MISSING, words=_MISSING, redirects=_MISSING, compound_header=_d6):
        self.start = start
        self.end = end
        reserved = _f2() if reserved is _MISSING else reserved
        self.reserved = reserved
        assignments = _f3() if assignments is _MISSING else assignments
        self.assignments = assignments
        words = _f4() if words is _MISSING else words
        self.words = words
        redirects = _f5() if redirects is _MISSING else redirects
        self.redirects = redirects
        self.compound_header = compound_header
    return __init__


def _fixer_syntax_shell_Word(_MISSING, _set):
    def __init__(self, start, end, raw, value, expands):
        self.start = start
        self.end = end
        self.raw = raw
        self.value = value
        self.expands = expands
    return __init__


def _fixer_syntax_tree_Blank(_MISSING, _set):
    def __init__(self, span, start_line, end_line):
        self.span = span
        self.start_line = start_line
        self.end_line = end_line
    return __init__


def _fixer_syntax_tree_Comment(_MISSING, _set, _d3):
    def __init__(self, span, start_line, end_line, text=_d3):
        self.span = span
        self.start_line = start_line
        self.end_line = end_line
        self.text = text
    return __init__


def _fixer_syntax_tree_Directive(_MISSING, _set, _d3, _d4):
    def __init__(self, span, start_line, end_line, name=_d3, value=_d4):
        self.span = span
        self.start_line = start_line
        self.end_line = end_line
        self.name = name
        self.value = value
    return __init__


def _fixer_syntax_tree_Dockerfile(_MISSING, _set, _f5, _f6, _f7, _f8):
    def __init__(self, text, bom, nodes, escape, directives, warnings=_MISSING, shell_views=_MISSING, lexed=_MISSING, cache=_MISSING):
        self.text = text
        self.bom = bom
        self.nodes = nodes
        self.escape = escape
        self.directives = directives
        warnings = _f5() if warnings is _MISSING else warnings
        self.warnings = warnings
        shell_views = _f6() if shell_views is _MISSING else shell_views
        self.shell_views = shell_views
        lexed = _f7() if lexed is _MISSING else lexed
        self.lexed = lexed
        cache = _f8() if cache is _MISSING else cache
        self.cache = cache
    return __init__


def _fixer_syntax_tree_Flag(_MISSING, _set):
    def __init__(self, text):
        _set(self, 'text', text)
    return __init__


def _fixer_syntax_tree_Heredoc(_MISSING, _set):
    def __init__(self, name, file_descriptor, chomp, expand, content, body, terminator):
        _set(self, 'name', name)
        _set(self, 'file_descriptor', file_descriptor)
        _set(self, 'chomp', chomp)
        _set(self, 'expand', expand)
        _set(self, 'content', content)
        _set(self, 'body', body)
        _set(self, 'terminator', terminator)
    return __init__


def _fixer_syntax_tree_Instruction(_MISSING, _set, _d3, _d4, _d5, _d6, _d7, _d8, _d9, _d10, _d11):
    def __init__(self, span, start_line, end_line, keyword=_d3, keyword_span=_d4, logical=_d5, flags=_d6, arguments_start=_d7, json=_d8, values=_d9, heredocs=_d10, sub=_d11):
        self.span = span
        self.start_line = start_line
        self.end_line = end_line
        self.keyword = keyword
        self.keyword_span = keyword_span
        self.logical = logical
        self.flags = flags
        self.arguments_start = arguments_start
        self.json = json
        self.values = values
        self.heredocs = heredocs
        self.sub = sub
    return __init__


def _fixer_syntax_tree_LogicalLine(_MISSING, _set):
    def __init__(self, text, pieces):
        self.text = text
        self.pieces = pieces
    return __init__


def _fixer_syntax_tree_Node(_MISSING, _set):
    def __init__(self, span, start_line, end_line):
        self.span = span
        self.start_line = start_line
        self.end_line = end_line
    return __init__


def _fixer_syntax_tree_Span(_MISSING, _set):
    def __init__(self, start, end):
        self.start = start
        self.end = end
    return __init__


def _fixer_syntax_tree_Stage(_MISSING, _set, _d3, _d4):
    def __init__(self, index, from_, instructions, chain=_d3, name=_d4):
        self.index = index
        self.from_ = from_
        self.instructions = instructions
        self.chain = chain
        self.name = name
        self.__post_init__()
    return __init__


FACTORIES = {
    'fixer.config.Settings': _fixer_config_Settings,
    'fixer.context.build_context.GoModule': _fixer_context_build_context_GoModule,
    'fixer.context.build_context.GoSources': _fixer_context_build_context_GoSources,
    'fixer.context.dockerignore.IgnorePattern': _fixer_context_dockerignore_IgnorePattern,
    'fixer.engine.fix.FixResult': _fixer_engine_fix_FixResult,
    'fixer.engine.suppression.Suppression': _fixer_engine_suppression_Suppression,
    'fixer.files.SourceFile': _fixer_files_SourceFile,
    'fixer.rules.base.Checker': _fixer_rules_base_Checker,
    'fixer.rules.base.Diagnostic': _fixer_rules_base_Diagnostic,
    'fixer.rules.base.Edit': _fixer_rules_base_Edit,
    'fixer.rules.base.FileChange': _fixer_rules_base_FileChange,
    'fixer.rules.base.Fix': _fixer_rules_base_Fix,
    'fixer.rules.base.Rule': _fixer_rules_base_Rule,
    'fixer.rules.compose.secret_environment._EnvExample': _fixer_rules_compose_secret_environment__EnvExample,
    'fixer.rules.compose.support.Where': _fixer_rules_compose_support_Where,
    'fixer.rules.dockerignore._Replan': _fixer_rules_dockerignore__Replan,
    'fixer.rules.gobuild.GoBuild': _fixer_rules_gobuild_GoBuild,
    'fixer.rules.images.ImageRef': _fixer_rules_images_ImageRef,
    'fixer.run.FileResult': _fixer_run_FileResult,
    'fixer.run.Finding': _fixer_run_Finding,
    'fixer.run.Overrides': _fixer_run_Overrides,
    'fixer.syntax.compose.ComposeDocument': _fixer_syntax_compose_ComposeDocument,
    'fixer.syntax.shell.Operator': _fixer_syntax_shell_Operator,
    'fixer.syntax.shell.Redirect': _fixer_syntax_shell_Redirect,
    'fixer.syntax.shell.Script': _fixer_syntax_shell_Script,
    'fixer.syntax.shell.SimpleCommand': _fixer_syntax_shell_SimpleCommand,
    'fixer.syntax.shell.Word': _fixer_syntax_shell_Word,
    'fixer.syntax.tree.Blank': _fixer_syntax_tree_Blank,
    'fixer.syntax.tree.Comment': _fixer_syntax_tree_Comment,
    'fixer.syntax.tree.Directive': _fixer_syntax_tree_Directive,
    'fixer.syntax.tree.Dockerfile': _fixer_syntax_tree_Dockerfile,
    'fixer.syntax.tree.Flag': _fixer_syntax_tree_Flag,
    'fixer.syntax.tree.Heredoc': _fixer_syntax_tree_Heredoc,
    'fixer.syntax.tree.Instruction': _fixer_syntax_tree_Instruction,
    'fixer.syntax.tree.LogicalLine': _fixer_syntax_tree_LogicalLine,
    'fixer.syntax.tree.Node': _fixer_syntax_tree_Node,
    'fixer.syntax.tree.Span': _fixer_syntax_tree_Span,
    'fixer.syntax.tree.Stage': _fixer_syntax_tree_Stage,
}


if __name__ == "__main__":
    from fixer.records import write_generated_inits

    write_generated_inits()
