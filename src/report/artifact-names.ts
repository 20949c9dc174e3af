// The files a run leaves beside its lanes' artifacts, named once for the writers and for verify.
export const REPORT_JSON = 'report.json';
export const REPORT_HTML = 'report.html';
export const ROUTE_DIAGRAM = 'route.mmd';
export const ATTESTATION = 'report.intoto.json';
