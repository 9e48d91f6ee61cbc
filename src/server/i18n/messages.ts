/**
 * Server-side texts for problem+json responses, zh-CN (default) and English, keyed by error code or issue message
 * key. The web app shows `detail` and each issue's `message` as they come.
 */
export type Lang = 'zh-CN' | 'en';

type Texts = Record<string, { 'zh-CN': string; en: string }>;

export const titles: Texts = {
  'validation.failed': { 'zh-CN': '请求参数有误', en: 'Invalid request' },
  'auth.unauthenticated': { 'zh-CN': '请先登录', en: 'Sign-in required' },
  'auth.invalid_credentials': { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  'auth.password_change_required': {
    'zh-CN': '您正在使用临时密码，请先修改密码',
    en: 'You are using a temporary password; change it first',
  },
  'auth.account_disabled': { 'zh-CN': '账号已停用', en: 'The account is disabled' },
  'auth.csrf_failed': {
    'zh-CN': '安全校验失败，请刷新页面后重试',
    en: 'Security check failed; reload the page',
  },
  'auth.forbidden': { 'zh-CN': '无权执行此操作', en: 'You are not allowed to do this' },
  'auth.out_of_scope': { 'zh-CN': '超出您的管辖范围', en: 'Outside your scope' },
  'auth.token_invalid': { 'zh-CN': '访问令牌无效或已过期', en: 'The API token is invalid or expired' },
  'resource.not_found': { 'zh-CN': '未找到', en: 'Not found' },
  'resource.conflict': { 'zh-CN': '操作与当前状态冲突', en: 'Conflicts with the current state' },
  'region.invalid_code': { 'zh-CN': '区划代码无效', en: 'Invalid region code' },
  'region.parent_mismatch': { 'zh-CN': '区划代码与上级不一致', en: 'Region code does not match its parent' },
  'region.duplicate_code': { 'zh-CN': '区划代码已存在', en: 'Region code already exists' },
  'department.duplicate_code': { 'zh-CN': '部门编码已存在', en: 'Department code already exists' },
  'user.duplicate_username': { 'zh-CN': '用户名已存在', en: 'Username already exists' },
  rate_limited: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  'service.unavailable': {
    'zh-CN': '服务暂不可用（数据库不可达）',
    en: 'Service unavailable (database unreachable)',
  },
  'request.not_found': { 'zh-CN': '接口不存在', en: 'No such endpoint' },
  'request.body_too_large': { 'zh-CN': '请求体过大', en: 'Request body too large' },
  'request.malformed_json': { 'zh-CN': '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  'request.unsupported_media_type': { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  internal: { 'zh-CN': '服务器内部错误', en: 'Internal server error' },
  'case.invalid_transition': {
    'zh-CN': '当前状态下您不能执行此操作',
    en: 'You cannot do this in the case’s current state',
  },
  'case.conflict': {
    'zh-CN': '案件已被他人更新，请刷新后重试',
    en: 'Someone else changed the case; reload and try again',
  },
  'idempotency.mismatch': {
    'zh-CN': '该幂等键已用于另一个请求',
    en: 'This Idempotency-Key was already used for a different request',
  },
  'upload.too_large': { 'zh-CN': '文件过大', en: 'File too large' },
  'upload.unsupported_type': { 'zh-CN': '不支持的文件类型', en: 'Unsupported file type' },
};

/** Messages for field issues: zod issue codes and our own keys. `{x}` placeholders are filled from params. */
export const issueMessages: Texts = {
  invalid_type: { 'zh-CN': '类型错误，应为 {expected}', en: 'wrong type, expected {expected}' },
  required: { 'zh-CN': '必填', en: 'required' },
  too_small: { 'zh-CN': '过短或过小（至少 {minimum}）', en: 'too short or too small (minimum {minimum})' },
  too_big: { 'zh-CN': '过长或过大（至多 {maximum}）', en: 'too long or too large (maximum {maximum})' },
  invalid_format: { 'zh-CN': '格式不正确', en: 'invalid format' },
  invalid_value: { 'zh-CN': '取值不在允许范围内', en: 'value not allowed' },
  unknown_field: { 'zh-CN': '未知字段', en: 'unknown field' },
  invalid_characters: {
    'zh-CN': '含有不允许的字符（空字符或不成对的代理项）',
    en: 'contains characters that are not allowed (NUL or a lone surrogate)',
  },
  invalid_union: { 'zh-CN': '取值不正确', en: 'invalid value' },
  custom: { 'zh-CN': '取值不正确', en: 'invalid value' },
  'region.code_format': {
    'zh-CN': '区划代码应为 12 位数字（县 6 位 + 街道 3 位 + 社区 3 位）',
    en: 'a region code is 12 digits (county 6 + street 3 + community 3)',
  },
  'region.parent_mismatch': {
    'zh-CN': '区划代码的上级应为 {expected}',
    en: 'this code belongs under {expected}',
  },
  'region.parent_not_found': { 'zh-CN': '上级区划不存在', en: 'parent region not found' },
  'region.not_found': { 'zh-CN': '区划不存在', en: 'region not found' },
  'region.duplicate_code': { 'zh-CN': '区划代码已存在', en: 'region code already exists' },
  'department.code_format': {
    'zh-CN': '部门编码为 2–32 位大写字母、数字、- 或 _',
    en: 'a department code is 2–32 upper-case letters, digits, - or _',
  },
  'department.not_found': { 'zh-CN': '部门不存在', en: 'department not found' },
  'department.duplicate_code': { 'zh-CN': '部门编码已存在', en: 'department code already exists' },
  'user.not_found': { 'zh-CN': '用户不存在', en: 'user not found' },
  'user.duplicate_username': { 'zh-CN': '用户名已存在', en: 'username already exists' },
  'username.format': {
    'zh-CN': '用户名为 3–64 位字母、数字、.、_ 或 -',
    en: 'a username is 3–64 letters, digits, ., _ or -',
  },
  'phone.format': { 'zh-CN': '电话号码格式不正确', en: 'invalid phone number' },
  'password.weak': {
    'zh-CN': '密码至少 10 位，且须同时包含字母和数字',
    en: 'a password needs at least 10 characters with letters and digits',
  },
  'category.not_found': { 'zh-CN': '事项分类不存在', en: 'unknown category' },
  'case.location_outside': {
    'zh-CN': '位置不在本辖区内',
    en: 'the location lies outside the jurisdiction',
  },
  'case.not_found': { 'zh-CN': '案件不存在', en: 'case not found' },
  'attachment.too_large': { 'zh-CN': '照片不能超过 10 MB', en: 'a photo may be at most 10 MB' },
  'attachment.not_an_image': {
    'zh-CN': '只能上传 JPEG、PNG 或 WebP 格式的图片',
    en: 'only JPEG, PNG or WebP images can be uploaded',
  },
  'attachment.empty': { 'zh-CN': '文件为空', en: 'the file is empty' },
  'attachment.required': {
    'zh-CN': '请上传一张照片（字段名 file）',
    en: 'upload one photo (field name file)',
  },
  'attachment.not_found': {
    'zh-CN': '照片不存在，或不是您上传的',
    en: 'photo not found, or not uploaded by you',
  },
  'tracking.token_format': { 'zh-CN': '查询码格式不正确', en: 'invalid tracking token' },
  'tracking.code_format': { 'zh-CN': '案件编号为 13 位数字', en: 'a case code is 13 digits' },
  'tracking.phone_tail_format': {
    'zh-CN': '请输入手机号后 4 位数字',
    en: 'enter the last 4 digits of the phone number',
  },
  'case.merge_target_closed': {
    'zh-CN': '不能合并到已作废或已合并的案件',
    en: 'cannot merge into a voided or merged case',
  },
  'webhook.url_scheme': {
    'zh-CN': '应为 http:// 或 https:// 开头的完整地址',
    en: 'must be a full http:// or https:// URL',
  },
  'webhook.duplicate_event': { 'zh-CN': '事件重复', en: 'events must be distinct' },
  // The receiver's address is refused by the outbound policy (docs/webhooks.md), one text per address class.
  'webhook.address_refused.loopback': {
    'zh-CN': '不允许发往本机回环地址',
    en: 'webhooks may not be sent to a loopback address',
  },
  'webhook.address_refused.unspecified': {
    'zh-CN': '不允许发往未指定地址（0.0.0.0、::）',
    en: 'webhooks may not be sent to an unspecified address (0.0.0.0, ::)',
  },
  'webhook.address_refused.link_local': {
    'zh-CN': '不允许发往链路本地地址',
    en: 'webhooks may not be sent to a link-local address',
  },
  'webhook.address_refused.metadata': {
    'zh-CN': '不允许发往云主机元数据地址',
    en: 'webhooks may not be sent to a cloud metadata address',
  },
  'webhook.address_refused.multicast': {
    'zh-CN': '不允许发往组播地址',
    en: 'webhooks may not be sent to a multicast address',
  },
  'webhook.address_refused.reserved': {
    'zh-CN': '不允许发往保留地址',
    en: 'webhooks may not be sent to a reserved address',
  },
  'webhook.address_refused.private': {
    'zh-CN': '内网地址须由运维在 OUTBOUND_ALLOW_CIDRS 中放行后才能使用',
    en: 'an intranet address must first be allowed in OUTBOUND_ALLOW_CIDRS',
  },
  'webhook.unresolvable': { 'zh-CN': '无法解析该主机名', en: 'the host name does not resolve' },
  'device.code_format': {
    'zh-CN': '设备编码为 2–32 位大写字母、数字、- 或 _，如 WL-0001',
    en: 'a device code is 2–32 upper-case letters, digits, - or _, e.g. WL-0001',
  },
  'device.duplicate_code': { 'zh-CN': '设备编码已存在', en: 'device code already exists' },
  'device.reading_name': {
    'zh-CN': '读数名称为 1–40 位字母、数字、_、. 或 -',
    en: 'a reading name is 1–40 letters, digits, _, . or -',
  },
  'device.readings_too_many': { 'zh-CN': '读数至多 20 项', en: 'at most 20 readings' },
  'device.observed_in_future': {
    'zh-CN': '监测时间晚于服务器当前时间（设备时钟可能不准）',
    en: 'the observation time lies in the future (check the device clock)',
  },
  'device.observed_before_registration': {
    'zh-CN': '监测时间早于设备登记时间（设备时钟可能不准）',
    en: 'the observation time lies before the device was registered (check the device clock)',
  },
  'device.location_too_far': {
    'zh-CN': '告警位置距设备登记位置超过 {radiusM} 米',
    en: 'the alarm location lies more than {radiusM} m from the device’s registered point',
  },
  'category.code_format': {
    'zh-CN': '分类编码为 BJ/SJ/RX 加 1–3 段两位数字',
    en: 'a category code is BJ/SJ/RX followed by 1–3 two-digit segments',
  },
  'category.prefix_format': {
    'zh-CN': '分类前缀为 BJ/SJ/RX 加 0–3 段两位数字',
    en: 'a category prefix is BJ/SJ/RX followed by 0–3 two-digit segments',
  },
  'catalogue.duplicate_code': { 'zh-CN': '分类编码重复', en: 'duplicate category code' },
  'catalogue.code_format': {
    'zh-CN': '编码须为上级编码加两位数字（大类为 BJ/SJ/RX 加两位）',
    en: 'the code must be the parent code plus two digits (BJ/SJ/RX plus two for a major class)',
  },
  'catalogue.parent_unknown': { 'zh-CN': '上级分类不存在', en: 'the parent category does not exist' },
  'catalogue.parent_invalid': {
    'zh-CN': '上级分类的类型或层级不能包含此分类',
    en: 'the parent category’s kind or level cannot hold this category',
  },
  'catalogue.level_invalid': {
    'zh-CN': '层级与编码不符（大类/小类/三级，仅热线有三级）',
    en: 'the level does not match the code (major/minor/item; only hotline items have a third level)',
  },
  'catalogue.time_limit_invalid': {
    'zh-CN': '时限无效：须为正数，单位为工作小时、工作日、自然小时或自然日',
    en: 'invalid time limit: a positive amount in working hours/days or natural hours/days',
  },
  'catalogue.time_limit_duplicate': {
    'zh-CN': '同一阶段和紧急程度的时限重复',
    en: 'the same stage and urgency appear twice',
  },
  'catalogue.parent_inactive': {
    'zh-CN': '上级分类已停用，不能启用此分类',
    en: 'the parent category is inactive, so this one cannot be active',
  },
  'catalogue.duplicate_change': {
    'zh-CN': '同一分类在本次修改中出现多次',
    en: 'the same category is changed twice in one request',
  },
  'catalogue.breaks_other': {
    'zh-CN': '这些修改使未修改的分类失效：{codes}',
    en: 'these changes make unchanged categories invalid: {codes}',
  },
  'catalogue.no_change': {
    'zh-CN': '修改后的目录与原版本相同',
    en: 'the changes leave the catalogue as it was',
  },
  'catalogue.version_not_found': { 'zh-CN': '目录版本不存在', en: 'no such catalogue version' },
  'catalogue.stale_base': {
    'zh-CN': '已有更新的目录版本 {latest}，请在最新版本上修改',
    en: 'a newer catalogue version ({latest}) exists; edit the newest version',
  },
  'calendar.date_format': { 'zh-CN': '日期应为有效的 YYYY-MM-DD', en: 'a date is a valid YYYY-MM-DD' },
  'calendar.outside_year': { 'zh-CN': '日期不在该年内', en: 'the date is not in this year' },
  'calendar.duplicate': { 'zh-CN': '日期重复', en: 'the date is listed twice' },
  'calendar.in_both': {
    'zh-CN': '同一天不能既是法定节假日又是调休上班日',
    en: 'a day cannot be both a holiday and a make-up workday',
  },
  'calendar.makeup_not_weekend': {
    'zh-CN': '调休上班日须为周六或周日',
    en: 'a make-up workday must be a Saturday or Sunday',
  },
  'rule.department_disabled': { 'zh-CN': '部门已停用', en: 'the department is disabled' },
  'rule.duplicate': {
    'zh-CN': '已有相同的责任清单规则',
    en: 'the same responsibility rule exists',
  },
  'case.bulk_department_choice': {
    'zh-CN': '须指定一个派遣部门，或选择按各案件的建议部门派遣（二选一）',
    en: 'give one department, or choose each case’s suggested department (one of the two)',
  },
  'case.no_suggested_department': {
    'zh-CN': '该案件没有建议派遣部门',
    en: 'the case has no suggested department',
  },
  'case.bulk_duplicate': { 'zh-CN': '该案件在列表中重复出现', en: 'the case is listed twice' },
  'export.too_many': {
    'zh-CN': '符合条件的案件有 {total} 件，超过导出上限 {max} 件，请缩小筛选范围',
    en: '{total} cases match, more than the export limit of {max}; narrow the filters',
  },
  'scope.required': { 'zh-CN': '须指定管辖区划或所属部门', en: 'a region or a department scope is required' },
  'token.permission_not_held': {
    'zh-CN': '令牌权限不能超出其所属账号的权限',
    en: 'a token cannot hold permissions its owner lacks',
  },
  'spatial.file_too_large': { 'zh-CN': '文件过大（上限 50 MB）', en: 'the file is too large (limit 50 MB)' },
  'spatial.unsupported_type': {
    'zh-CN': '仅支持 GeoJSON 文件或压缩的 Shapefile（.zip）',
    en: 'only GeoJSON files or zipped Shapefiles (.zip) are supported',
  },
  'spatial.malformed_json': { 'zh-CN': '文件不是合法的 JSON', en: 'the file is not valid JSON' },
  'spatial.not_feature_collection': {
    'zh-CN': '文件须为 GeoJSON FeatureCollection',
    en: 'the file must be a GeoJSON FeatureCollection',
  },
  'spatial.empty': { 'zh-CN': '文件中没有要素', en: 'the file has no features' },
  'spatial.too_many_features': {
    'zh-CN': '要素过多（上限 {max} 个）',
    en: 'too many features (limit {max})',
  },
  'spatial.too_many_vertices': {
    'zh-CN': '顶点总数过多（上限 {max} 个）',
    en: 'too many vertices in total (limit {max})',
  },
  'spatial.bad_zip': { 'zh-CN': '压缩包无法解开', en: 'the zip archive cannot be read' },
  'spatial.shapefile_parts': {
    'zh-CN': '压缩包中须有 .shp 和 .dbf 文件',
    en: 'the archive must contain a .shp and a .dbf file',
  },
  'spatial.projected_crs': {
    'zh-CN': '不支持投影坐标系（.prj 为 PROJCS），请提供经纬度坐标',
    en: 'projected coordinate systems (.prj PROJCS) are not supported; supply longitude/latitude',
  },
  'spatial.bad_shapefile': { 'zh-CN': 'Shapefile 无法读取', en: 'the Shapefile cannot be read' },
  'spatial.file_required': { 'zh-CN': '请上传一个文件', en: 'upload one file' },
  'spatial.bad_json_field': { 'zh-CN': '字段须为合法的 JSON', en: 'the field must be valid JSON' },
  'spatial.layer_code_required': {
    'zh-CN': '导入图层时须指定图层编码',
    en: 'a layer import needs a layer code',
  },
  'spatial.layer_code_format': {
    'zh-CN': '图层编码为 1–32 位字母、数字、_ . -',
    en: 'a layer code is 1–32 letters, digits, _ . -',
  },
  'spatial.grid_code_format': { 'zh-CN': '网格编码应为 15 位数字', en: 'a grid code is 15 digits' },
  'spatial.bbox_format': { 'zh-CN': '范围格式为 西,南,东,北', en: 'bbox is west,south,east,north' },
  'spatial.grid_size': {
    'zh-CN': '网格边长应在 {min}–{max} 米之间',
    en: 'the cell size must be {min}–{max} m',
  },
  'spatial.sliver_ratio': {
    'zh-CN': '碎片比例应在 0–1 之间',
    en: 'the sliver ratio must be between 0 and 1',
  },
  'spatial.too_many_grids': {
    'zh-CN': '生成的网格过多（每个社区至多 {max} 个），请增大边长',
    en: 'too many grids (at most {max} per community); use a larger size',
  },
  'spatial.generate_level': {
    'zh-CN': '只能为社区或街道生成网格',
    en: 'grids are generated for a community or a street',
  },
  'spatial.no_boundary': { 'zh-CN': '该区划没有边界数据', en: 'no boundary is stored for this region' },
  'spatial.grids_exist': {
    'zh-CN': '该社区已有网格；如需重新生成请选择“替换”',
    en: 'the community already has grids; choose replace to regenerate them',
  },
  'spatial.not_grid_worker': {
    'zh-CN': '只能指派启用中的网格员账号',
    en: 'only enabled grid-worker accounts can be assigned',
  },
};

export function langOf(acceptLanguage: string | undefined): Lang {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function titleOf(code: string, lang: Lang): string {
  return titles[code]?.[lang] ?? titles.internal![lang];
}

export function issueMessage(key: string, lang: Lang, params: Record<string, unknown> = {}): string {
  const template = issueMessages[key]?.[lang];
  if (!template) return key;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}
