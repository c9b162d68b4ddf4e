// Stands in for the SQLite addon inside Lambda bundles: the AWS store is DynamoDB, and a native
// module built for this machine must never ship. Loading is fine; opening a database says why not.
module.exports = function Database() {
  throw new Error('SQLite is not available in a Lambda bundle: set PM_AGENT_STORE=dynamodb');
};
