"""What a resident reads in the chat: answers, understanding aids, safety net, cleaning text."""
