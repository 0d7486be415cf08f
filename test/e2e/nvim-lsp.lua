-- Headless Neovim (0.7 or later) as a real LSP client of `stowage lsp`.
-- Environment: STOWAGE_NODE (node binary), STOWAGE_BIN (bin/stowage.js), STOWAGE_FILE (file to open),
-- STOWAGE_ROOT (workspace folder), STOWAGE_OUT (where to write the diagnostics, one per line:
-- "<line>:<col> <code> <severity> <source>", 1-based).
local node = os.getenv('STOWAGE_NODE')
local bin = os.getenv('STOWAGE_BIN')
local file = os.getenv('STOWAGE_FILE')
local root = os.getenv('STOWAGE_ROOT')
local out = os.getenv('STOWAGE_OUT')

local function finish(lines, code)
  local f = assert(io.open(out, 'w'))
  f:write(table.concat(lines, '\n'))
  f:write('\n')
  f:close()
  vim.cmd(code == 0 and 'qall!' or 'cquit! ' .. code)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()

local client_id = vim.lsp.start_client({
  name = 'stowage',
  cmd = { node, bin, 'lsp', '--stdio' },
  root_dir = root,
})
if not client_id then
  finish({ 'ERROR could not start the client' }, 3)
  return
end
vim.lsp.buf_attach_client(bufnr, client_id)

local ok = vim.wait(20000, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 50)
if not ok then
  finish({ 'ERROR no diagnostics within 20 s' }, 4)
  return
end

local names = { [1] = 'error', [2] = 'warning', [3] = 'info', [4] = 'hint' }
local lines = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  local code = d.code or lsp.code or '?'
  table.insert(lines, string.format('%d:%d %s %s %s', d.lnum + 1, d.col + 1, code, names[d.severity] or tostring(d.severity), d.source or lsp.source or '?'))
end
table.sort(lines)
vim.lsp.stop_client(client_id)
vim.wait(2000, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end, 50)
finish(lines, 0)
