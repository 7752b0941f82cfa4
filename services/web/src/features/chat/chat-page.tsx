import { useCallback, useState } from 'react';
import { useParams } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { ConversationList } from './conversation-list';
import { ModelPicker } from './model-picker';
import { SearchDialog, useSearchShortcut } from './search-dialog';
import { Thread } from './thread';

export default function ChatPage() {
  const { t } = useI18n();
  const { conversationId } = useParams();
  const [model, setModel] = useState<string | undefined>(undefined);
  const [searching, setSearching] = useState(false);
  const openSearch = useCallback(() => setSearching(true), []);
  useSearchShortcut(openSearch);
  return (
    <main className="chat" id="main">
      <ConversationList currentId={conversationId} onSearch={openSearch} />
      <div className="chat-main">
        <ModelPicker value={model} onChange={setModel} />
        {conversationId ? (
          <Thread key={conversationId} conversationId={conversationId} model={model} />
        ) : (
          <section className="thread">
            <div className="messages">
              <p className="hint">{t('chat.pick')}</p>
            </div>
          </section>
        )}
      </div>
      <SearchDialog open={searching} onClose={() => setSearching(false)} />
    </main>
  );
}
