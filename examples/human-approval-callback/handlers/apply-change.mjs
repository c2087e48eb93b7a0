// apply-change: carries out an approved change (a deployment tool would be called here).
export function handler({ requestId, change, approvedBy }) {
  console.log(`applying ${requestId}: ${change.action} ${change.service} ${change.version} (approved by ${approvedBy})`);
  return { requestId, status: "APPLIED", service: change.service, version: change.version };
}
